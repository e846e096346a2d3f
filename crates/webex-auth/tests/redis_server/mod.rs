//! A throwaway `redis-server` on a free loopback port, killed on drop. Tests that need one
//! skip (and say so) where `redis-server` is not installed; `.ci/run` installs it.

#![allow(dead_code, unreachable_pub)]

use std::ffi::OsString;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct RedisServer {
    child: Child,
    port: u16,
    tls: Option<TlsFiles>,
}

/// A test certificate authority and a server certificate for 127.0.0.1 it signed, with
/// their keys, in a directory removed on drop.
pub struct TlsFiles {
    dir: PathBuf,
}

/// `openssl` arguments for a new P-256 key without passphrase.
const NEW_KEY: [&str; 5] = [
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
];

impl TlsFiles {
    /// Makes them with the `openssl` command; `None` (after saying so) when it is missing.
    fn make() -> Option<Self> {
        let dir = std::env::temp_dir().join(format!(
            "webex-auth-redis-tls-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let files = Self { dir };
        let at = |name: &str| files.dir.join(name);
        std::fs::write(at("ext.cnf"), "subjectAltName=IP:127.0.0.1\n").expect("ext file");
        let steps: [Vec<OsString>; 3] = [
            args(&[
                "req",
                "-x509",
                "-days",
                "1",
                "-subj",
                "/CN=webex-auth test CA",
            ])
            .chain(args(&NEW_KEY))
            .chain([flag("-keyout"), at("ca-key.pem").into()])
            .chain([flag("-out"), at("ca.pem").into()])
            .collect(),
            args(&["req", "-subj", "/CN=127.0.0.1"])
                .chain(args(&NEW_KEY))
                .chain([flag("-keyout"), at("key.pem").into()])
                .chain([flag("-out"), at("server.csr").into()])
                .collect(),
            args(&["x509", "-req", "-days", "1", "-CAcreateserial"])
                .chain([flag("-in"), at("server.csr").into()])
                .chain([flag("-CA"), at("ca.pem").into()])
                .chain([flag("-CAkey"), at("ca-key.pem").into()])
                .chain([flag("-extfile"), at("ext.cnf").into()])
                .chain([flag("-out"), at("cert.pem").into()])
                .collect(),
        ];
        for step in steps {
            let ran = Command::new("openssl")
                .args(&step)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            match ran {
                Ok(status) if status.success() => {}
                Ok(status) => panic!("openssl {step:?} failed: {status}"),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    eprintln!("skipped: openssl not installed (it makes the test's certificates)");
                    return None;
                }
                Err(e) => panic!("openssl does not start: {e}"),
            }
        }
        Some(files)
    }

    /// The authority's certificate (PEM).
    pub fn authority(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    fn certificate(&self) -> PathBuf {
        self.dir.join("cert.pem")
    }

    fn key(&self) -> PathBuf {
        self.dir.join("key.pem")
    }
}

fn args<'a>(list: &'a [&'a str]) -> impl Iterator<Item = OsString> + 'a {
    list.iter().map(OsString::from)
}

fn flag(name: &str) -> OsString {
    OsString::from(name)
}

impl Drop for TlsFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl RedisServer {
    /// Starts a server without persistence; `None` (after saying so) when `redis-server`
    /// is not on PATH.
    pub fn start() -> Option<Self> {
        Self::spawn(None)
    }

    /// A server speaking only TLS, with a certificate from a test authority; `None` (after saying
    /// so) when `redis-server` or `openssl` is not installed.
    pub fn start_tls() -> Option<Self> {
        Self::spawn(Some(TlsFiles::make()?))
    }

    fn spawn(tls: Option<TlsFiles>) -> Option<Self> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port()
            .to_string();
        let mut command = Command::new("redis-server");
        command
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null());
        match &tls {
            None => command.args(["--port", &port]),
            Some(files) => command
                .args([
                    "--port",
                    "0",
                    "--tls-port",
                    &port,
                    "--tls-auth-clients",
                    "no",
                ])
                .arg("--tls-cert-file")
                .arg(files.certificate())
                .arg("--tls-key-file")
                .arg(files.key()),
        };
        let spawned = command.stderr(Stdio::null()).spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("skipped: redis-server not installed (.ci/run installs it)");
                return None;
            }
            Err(e) => panic!("redis-server does not start: {e}"),
        };
        let port = port.parse().expect("a port");
        let mut server = Self { child, port, tls };
        server.wait_until_listening();
        Some(server)
    }

    /// `redis://127.0.0.1:<port>/` (`rediss://` with TLS).
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() {
            "rediss"
        } else {
            "redis"
        };
        format!("{scheme}://127.0.0.1:{}/", self.port)
    }

    /// The certificate authority a TLS server's certificate comes from, in PEM.
    pub fn authority_pem(&self) -> Vec<u8> {
        let files = self.tls.as_ref().expect("a TLS server");
        std::fs::read(files.authority()).expect("certificate readable")
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
