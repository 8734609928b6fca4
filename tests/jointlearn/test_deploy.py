"""The deployment example (deploy/): the Compose file parses and its pieces fit together.
Images cannot be pulled on the test machines, so this checks the files, not a running stack."""

import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_starts_postgres_redis_two_workers_and_the_proxy():
    services = compose()["services"]
    assert {"db", "redis", "migrate", "worker1", "worker2", "proxy", "static"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    for worker in ("worker1", "worker2"):
        service = services[worker]
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert service["environment"]["DATABASE_URL"].endswith("@db:5432/jointlearn")
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "/healthz" in " ".join(service["healthcheck"]["test"])
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]


def test_nginx_balances_the_compose_workers_and_upgrades_sockets():
    config = (DEPLOY / "nginx.conf").read_text()
    upstream = re.search(r"upstream jointlearn \{(.*?)\}", config, re.S).group(1)
    servers = re.findall(r"server (\S+);", upstream)
    workers = [name for name in compose()["services"] if name.startswith("worker")]
    assert servers == [f"{name}:8000" for name in workers]
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in config
    assert "$proxy_add_x_forwarded_for" not in config
    assert config.count("{") == config.count("}")


def test_the_image_serves_daphne_with_proxy_headers():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert '"daphne", "--proxy-headers"' in dockerfile
    assert "collectstatic" in dockerfile
    ignored = (DEPLOY.parent / ".dockerignore").read_text().split()
    assert {".venv", ".git", "private-media"} <= set(ignored)
