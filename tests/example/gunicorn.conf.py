"""gunicorn configuration for mysite: `gunicorn -c gunicorn.conf.py`."""
import multiprocessing

wsgi_app = "mysite.wsgi:application"
bind = "0.0.0.0:8000"
workers = multiprocessing.cpu_count() * 2 + 1
timeout = 30
accesslog = "-"
forwarded_allow_ips = "*"
