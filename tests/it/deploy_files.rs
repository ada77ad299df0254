//! The files in `deploy/` are checked by the tools that will read them (issue 20): nginx and
//! Varnish compile their configurations, `systemd-analyze verify` reads the unit. A tool that
//! is missing skips its check with the reason, except under `CI=true` (`.ci/run` installs
//! nginx and Varnish), where it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn deploy_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(name)
}

/// The tool's path, or `None` after saying why the check is skipped.
fn tool(name: &str, candidates: &[&str]) -> Option<PathBuf> {
    let found = candidates
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .or_else(|| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|path| path.is_file())
            })
        });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {name} is not installed (.ci/run installs it)"
        );
        eprintln!("skipped: {name} is not installed, so deploy/ is not checked with it");
    }
    found
}

fn report(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `deploy/nginx.conf` is a server block: it is checked inside a minimal main configuration,
/// with a throw-away self-signed certificate in place of Let's Encrypt's paths.
#[test]
fn the_nginx_example_passes_nginx_t() {
    let Some(nginx) = tool("nginx", &["/usr/sbin/nginx"]) else {
        return;
    };
    let Some(openssl) = tool("openssl", &["/usr/bin/openssl"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new(openssl)
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=wiki.example.org", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("run openssl");
    assert!(made.status.success(), "{}", report(&made));
    let site = std::fs::read_to_string(deploy_file("nginx.conf")).expect("deploy/nginx.conf");
    let site = site
        .replace(
            "/etc/letsencrypt/live/wiki.example.org/fullchain.pem",
            &cert.display().to_string(),
        )
        .replace(
            "/etc/letsencrypt/live/wiki.example.org/privkey.pem",
            &key.display().to_string(),
        );
    assert!(
        !site.contains("/etc/letsencrypt"),
        "every certificate path was replaced"
    );
    let site_path = dir.path().join("site.conf");
    std::fs::write(&site_path, site).expect("write site");
    let main = dir.path().join("nginx.conf");
    let prefix = dir.path().display().to_string();
    std::fs::write(
        &main,
        format!(
            "pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\nhttp {{\n  access_log off;\n  include {};\n}}\n",
            site_path.display()
        ),
    )
    .expect("write main configuration");
    let checked = check_nginx(&nginx, &main, dir.path());
    assert!(checked.status.success(), "nginx -t: {}", report(&checked));
    assert!(
        report(&checked).contains("test is successful"),
        "{}",
        report(&checked)
    );
}

fn check_nginx(nginx: &Path, main: &Path, prefix: &Path) -> Output {
    let mut prefix = prefix.display().to_string();
    prefix.push('/');
    Command::new(nginx)
        .arg("-t")
        .arg("-c")
        .arg(main)
        .arg("-p")
        .arg(prefix)
        .output()
        .expect("run nginx -t")
}

#[test]
fn the_varnish_configuration_compiles() {
    let Some(varnishd) = tool("varnishd", &["/usr/sbin/varnishd"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let compiled = Command::new(varnishd)
        .arg("-C")
        .arg("-f")
        .arg(deploy_file("varnish.vcl"))
        .arg("-n")
        .arg(dir.path())
        .output()
        .expect("run varnishd -C");
    assert!(
        compiled.status.success(),
        "varnishd -C: {}",
        report(&compiled)
    );
}

/// The unit names the binary at `/usr/local/bin/plutarch`, where an install puts it; the check
/// reads a copy that names this build's binary instead (verify refuses a missing executable).
#[test]
fn the_systemd_unit_verifies() {
    let Some(analyze) = tool("systemd-analyze", &["/usr/bin/systemd-analyze"]) else {
        return;
    };
    let unit = std::fs::read_to_string(deploy_file("plutarch.service")).expect("the unit");
    assert!(
        unit.contains("ExecStart=/usr/local/bin/plutarch serve"),
        "{unit}"
    );
    let unit = unit.replace(
        "ExecStart=/usr/local/bin/plutarch",
        &format!("ExecStart={}", env!("CARGO_BIN_EXE_plutarch")),
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    let copy = dir.path().join("plutarch.service");
    std::fs::write(&copy, unit).expect("write the unit");
    let verified = Command::new(analyze)
        .arg("verify")
        .arg(&copy)
        .output()
        .expect("run systemd-analyze verify");
    assert!(
        verified.status.success() && report(&verified).trim().is_empty(),
        "systemd-analyze verify: {}",
        report(&verified)
    );
}
