//! A throwaway `redis-server` on a free loopback port, killed on drop. Tests that need one
//! skip (and say so) where `redis-server` is not installed; `.ci/run` installs it.

#![allow(dead_code, unreachable_pub)]

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    /// Starts a server without persistence; `None` (after saying so) when `redis-server`
    /// is not on PATH.
    pub fn start() -> Option<Self> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let spawned = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("skipped: redis-server not installed (.ci/run installs it)");
                return None;
            }
            Err(e) => panic!("redis-server does not start: {e}"),
        };
        let mut server = Self { child, port };
        server.wait_until_listening();
        Some(server)
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn wait_until_listening(&mut self) {
        for _ in 0..500 {
            if TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("redis-server exited: {status}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server does not listen on port {}", self.port);
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
