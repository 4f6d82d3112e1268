//! The stdio framing in front of tower-lsp-server. Its codec ends the whole session at the first
//! message it cannot decode (tokio-util's framed reader stops after an error), so frames are
//! checked here first: valid JSON-RPC goes on to the server; anything else is answered here
//! (parse error or invalid request, as JSON-RPC asks) and dropped, and the session goes on.

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::{ClientSocket, LspService};

use crate::server::Server;

/// Bodies larger than this are refused (and skipped) rather than buffered.
const MAX_BODY: usize = 512 << 20;

/// One frame from the peer.
enum Frame {
    Body(Vec<u8>),
    /// A header block without a usable Content-Length.
    BadHeader,
    /// A body too large to buffer (already skipped).
    TooLarge,
}

/// Reads the next frame; `None` at the end of the stream.
async fn read_frame(reader: &mut (impl AsyncBufRead + Unpin)) -> Option<Frame> {
    let mut length: Option<Option<usize>> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim();
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue; // stray blank lines between frames
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse().ok());
        }
    }
    let Some(Some(length)) = length else {
        return Some(Frame::BadHeader);
    };
    if length > MAX_BODY {
        let mut rest = reader.take(length as u64);
        tokio::io::copy(&mut rest, &mut tokio::io::sink())
            .await
            .ok()?;
        return Some(Frame::TooLarge);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Frame::Body(body))
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error_response(id: Value, code: i64, message: &str) -> Vec<u8> {
    let response = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    framed(&serde_json::to_vec(&response).expect("a JSON value serialises"))
}

/// What to do with a frame: pass it on, or answer it with an error.
fn check(frame: Frame) -> Result<Vec<u8>, Vec<u8>> {
    let body = match frame {
        Frame::Body(body) => body,
        Frame::BadHeader => {
            return Err(error_response(
                Value::Null,
                -32700,
                "Parse error: no Content-Length",
            ));
        }
        Frame::TooLarge => {
            return Err(error_response(
                Value::Null,
                -32700,
                "Parse error: message too large",
            ));
        }
    };
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return Err(error_response(Value::Null, -32700, "Parse error"));
    };
    let valid = serde_json::from_value::<Request>(value.clone()).is_ok()
        || serde_json::from_value::<Response>(value.clone()).is_ok();
    if valid {
        Ok(framed(&body))
    } else {
        let id = value
            .get("id")
            .filter(|id| id.is_number() || id.is_string())
            .cloned();
        Err(error_response(
            id.unwrap_or(Value::Null),
            -32600,
            "Invalid request",
        ))
    }
}

/// Copies frames from the client to the server, answering the malformed ones on `replies`.
async fn filter_input(
    input: impl AsyncRead + Unpin,
    mut to_server: impl AsyncWrite + Unpin,
    replies: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut reader = BufReader::new(input);
    while let Some(frame) = read_frame(&mut reader).await {
        match check(frame) {
            Ok(bytes) => {
                if to_server.write_all(&bytes).await.is_err() {
                    break;
                }
            }
            Err(reply) => {
                let _ = replies.send(reply);
            }
        }
    }
    let _ = to_server.shutdown().await;
}

/// Splits the server's output into frames, so replies never land inside one.
async fn collect_output(from_server: impl AsyncRead + Unpin, out: mpsc::UnboundedSender<Vec<u8>>) {
    let mut reader = BufReader::new(from_server);
    while let Some(frame) = read_frame(&mut reader).await {
        if let Frame::Body(body) = frame
            && out.send(framed(&body)).is_err()
        {
            break;
        }
    }
}

/// Serves `service` on `input`/`output` through the filter. Returns when the server exits.
pub async fn serve(
    input: impl AsyncRead + Unpin + Send + 'static,
    mut output: impl AsyncWrite + Unpin,
    service: LspService<Server>,
    socket: ClientSocket,
) {
    let (server_in, client_to_server) = tokio::io::duplex(1 << 16);
    let (server_out, server_to_client) = tokio::io::duplex(1 << 16);
    let (reply_tx, mut replies) = mpsc::unbounded_channel();
    let (frame_tx, mut frames) = mpsc::unbounded_channel();
    // ends with stdin, or is abandoned (blocked on a read) when the server exits
    tokio::spawn(filter_input(input, client_to_server, reply_tx));
    let server = async move {
        tower_lsp_server::Server::new(server_in, server_out, socket)
            .serve(service)
            .await;
    };
    let collector = collect_output(server_to_client, frame_tx);
    let writer = async move {
        loop {
            let bytes = tokio::select! {
                biased;
                frame = frames.recv() => match frame {
                    Some(frame) => frame,
                    // the server's output ended: it has exited
                    None => break,
                },
                Some(reply) = replies.recv() => reply,
            };
            if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
                break;
            }
        }
    };
    tokio::join!(server, collector, writer);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(bytes: &[u8]) -> Value {
        let text = std::str::from_utf8(bytes).unwrap();
        serde_json::from_str(text.split_once("\r\n\r\n").unwrap().1).unwrap()
    }

    #[test]
    fn valid_messages_pass_and_the_rest_is_answered() {
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#.to_vec();
        assert_eq!(body(&check(Frame::Body(ok)).unwrap())["method"], "shutdown");
        let bad_json = check(Frame::Body(b"{\"jsonrpc\": ".to_vec())).unwrap_err();
        assert_eq!(body(&bad_json)["error"]["code"], -32700);
        let not_rpc = check(Frame::Body(br#"{"id": 4, "params": []}"#.to_vec())).unwrap_err();
        assert_eq!(
            (
                body(&not_rpc)["error"]["code"].clone(),
                body(&not_rpc)["id"].clone()
            ),
            (json!(-32600), json!(4))
        );
        assert_eq!(
            body(&check(Frame::BadHeader).unwrap_err())["id"],
            Value::Null
        );
    }

    #[tokio::test]
    async fn frames_survive_garbage_between_them() {
        let input =
            b"Content-Type: x\r\n\r\nContent-Length: 2\r\n\r\n{}\r\nContent-Length: 3\r\n\r\n[1]"
                .to_vec();
        let mut reader = BufReader::new(&input[..]);
        assert!(matches!(
            read_frame(&mut reader).await,
            Some(Frame::BadHeader)
        ));
        assert!(matches!(read_frame(&mut reader).await, Some(Frame::Body(b)) if b == b"{}"));
        assert!(matches!(read_frame(&mut reader).await, Some(Frame::Body(b)) if b == b"[1]"));
        assert!(read_frame(&mut reader).await.is_none());
    }
}
