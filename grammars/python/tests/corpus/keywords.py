# Keywords, soft keywords and names that contain keywords: the vendored grammar has no
# keyword extraction, so these are where its lexer could disagree with upstream's.
import os.path as osp, typing
from . import match, case, type as type_
from .. import print as print_
from __future__ import annotations

iffy = classy = define = None_ = Trueish = Falsey = import_ = lambda_ = nonlocal_ = 1
ifx, elif_, else_, fort, format, inn, isnt, notable, order, andy, yields = range(11)
awaiting, asyncio_, withhold, tryst, exceptional, finally_, raise_, returns = [0] * 8
_if = __class__ = def_ = del_ = global_ = passage = breaks = continued = whiles = 0
print = exec = match = case = type = _ = async_ = 1
match = match(match)
case = [case, match, type]
type = type(type)
print(print, exec, match, case, type, _)
exec("x = 1")
obj.print, obj.exec, obj.match, obj.case, obj.type, obj._ = 1, 2, 3, 4, 5, 6
obj.Trueish.None_.iffy(match=1, case=2, type=3, print=4, exec=5)
print >> sys.stderr, "python 2"
print "python 2", x
exec "code" in ns
f(async_=1, await_=2)
match.group(1); case.lower(); type.mro()
x = [print for print in prints if print]
y = {match: case for match, case in pairs}
z = lambda match, case, type: match or case and not type
not_ = not iffy
w = iffy if Trueish else Falsey
v = a is not b, a not in b, a in b, a is b
u = x if y else z if w else v
print(*args, **kwargs, sep="")
type X = list[int]
type Y[T] = dict[str, T]
type = 1
type.x = 2
type[0] = 3
type(x)


class Class(Base, metaclass=Meta):
    match: int = 0
    case: str = ""
    type: type = type
    print: bool = True

    def match(self, match, *, case=None, type=None):
        return match

    async def fetch(self, await_, async_):
        await self.x
        async with a as b, c as d:
            pass
        async for i in aiter():
            yield i
        return [await f() async for f in fs]

    @property
    def exec(self):
        global g
        nonlocal_ = 1
        del self.x, self.y
        assert True, "never"
        raise ValueError("v") from None


def f(print=print, /, exec=exec, *args, match=match, **kwargs) -> type:
    nonlocal_ = lambda: (yield)
    if a:
        pass
    elif b:
        pass
    else:
        pass
    for i in range(3):
        continue
    else:
        pass
    while False:
        break
    try:
        pass
    except (ValueError, TypeError) as e:
        pass
    except* OSError:
        pass
    else:
        pass
    finally:
        pass
    with open("f") as fh, open("g"):
        pass
    if (n := len(a)) > 10:
        pass


match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0) | {"match": match, "case": case, **rest}:
        pass
    case [1, 2, *others] if others:
        pass
    case str() | bytes() as s:
        pass
    case None | True | False:
        pass
    case -1 | 1.5 | 2j | "s" b"b":
        pass
    case match.case:
        pass
    case _:
        pass

match = {"match": 1}
match[0]
match(x)
match -x:
    case 1:
        pass
match (x):
    case type():
        pass
match x, y:
    case (a, b):
        pass

x = f"{match!r:>{width}} {type} {print=}"
y = rb"\d" + Rb'\w' + u"u" + f'''{
    case
}'''
z = 0x_ff + 0o17 + 0b1 + 1_000 + 1e10 + 1.5j + .5 + 5.
ellipsis = ...
s = a[1:2, ::3, ...]
(a, b), [c, d] = e = f
a @= b; a //= b; a **= b; a >>= b; a <<= b; a ^= b; a |= b; a &= b; a %= b
x = -a + ~b - +c ** d // e @ f % g << h >> i & j ^ k | l < m <= n == o != p >= q > r <> s
t = *a, *b
del (a), [b]
import a.b.c
from a.b import (c, d,)
from a import *
if x: pass
while x: x -= 1
for x in y: print(x)
with a: pass
class C: pass
@decorator.attribute(arg)
@d[0]
def g(): return 1
