"""Settings from the environment: deploy checks, SQLite mode, channel layer choice."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2Lm9#pV4s8Rt1wZ6yB3nC5dF0gH-jK8mN2qP4rS6tU8vW0xY2zA4bC6dE8fG",
    "ALLOWED_HOSTS": "jointlearn.example.org",
    "HTTPS": "",
}


def run_manage(*args, env):
    return run_python("manage.py", *args, env=env)


def run_python(*args, env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update({key: value for key, value in env.items() if value})
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_serve_without_a_secret_key():
    result = run_manage(
        "shell", "--no-imports", "-c", "import jointlearn.asgi", env=dict(PRODUCTION, SECRET_KEY="")
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_deploy_check_fails_without_a_secret_key():
    result = run_manage("check", "--deploy", env=dict(PRODUCTION, SECRET_KEY=""))
    assert result.returncode != 0
    assert "jointlearn.E001" in result.stderr


def test_management_commands_run_without_a_secret_key():
    result = run_manage(
        "makemigrations", "--check", "--dry-run", env=dict(PRODUCTION, SECRET_KEY="")
    )
    assert result.returncode == 0, result.stderr


def test_the_server_collects_garbage_seldom_and_skips_what_it_loaded():
    """jointlearn/asgi.py: the loaded code frozen out of collections and the young
    generation collected every 50,000 objects (cafe_mix_300's p99: 160-320 -> 89 ms)."""
    probe = run_python(
        "-c",
        "import gc, jointlearn.asgi as a; print(gc.get_threshold() == a.GC_THRESHOLDS, "
        "gc.get_threshold()[0], gc.get_freeze_count() > 10_000)",
        env=PRODUCTION,
    )
    assert probe.stdout.split() == ["True", "50000", "True"], probe.stderr


def test_debug_is_off_by_default():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env=dict(PRODUCTION, DEBUG=""),
    )
    assert result.stdout.strip() == "False", result.stderr


def test_csp_has_no_unsafe_inline(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_sqlite_runs_in_wal_with_immediate_transactions(db):
    if connection.vendor != "sqlite":
        assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


DATABASE_PROBE = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps([d['OPTIONS'].get('pool'), d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)


def database_settings(**env):
    result = run_manage("shell", "--no-imports", "-c", DATABASE_PROBE, env=dict(PRODUCTION, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_come_from_a_checked_pool():
    pool, max_age, checked = database_settings(DATABASE_URL="postgres://u@db.example/jl")
    assert pool == {"min_size": 2, "max_size": 20, "timeout": 10}
    assert max_age == 0
    assert checked is True
    pool, _max_age, _checked = database_settings(
        DATABASE_URL="postgres://u@db.example/jl", DATABASE_POOL_MAX_SIZE="5"
    )
    assert pool["max_size"] == 5


def test_the_pool_can_be_turned_off_for_a_connection_pooler():
    pool, max_age, _checked = database_settings(
        DATABASE_URL="postgres://u@db.example/jl",
        DATABASE_POOL_MAX_SIZE="0",
        DATABASE_CONN_MAX_AGE="60",
    )
    assert pool is None
    assert max_age == 60


def test_a_kept_connection_with_the_pool_is_refused_in_words():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; connection.pool",
        env=dict(PRODUCTION, DATABASE_URL="postgres://u@db.example/jl", DATABASE_CONN_MAX_AGE="60"),
    )
    assert result.returncode != 0
    assert "Pooling doesn't support persistent connections" in result.stderr


def test_channel_layer_follows_redis_url():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "channels_redis.core.RedisChannelLayer"
    else:
        assert backend == "jointlearn.layers.InMemoryChannelLayer"


async def test_the_in_memory_layer_cleans_at_most_once_a_second(monkeypatch):
    """Cleaning walks every channel and group; on every receive it cost 40 % of the server."""
    from jointlearn import layers

    layer = layers.InMemoryChannelLayer(expiry=60)
    walks = []
    monkeypatch.setattr(
        layers.ChannelsInMemoryChannelLayer, "_clean_expired", lambda self: walks.append(1)
    )
    channel = await layer.new_channel()
    for number in range(5):
        await layer.send(channel, {"type": "x", "n": number})
        assert (await layer.receive(channel))["n"] == number
    assert len(walks) == 1
    layer._cleaned_at -= layers.CLEAN_EVERY_S
    await layer.send(channel, {"type": "x"})
    await layer.receive(channel)
    assert len(walks) == 2


async def test_the_in_memory_group_send_reaches_every_member_once():
    from jointlearn import layers

    layer = layers.InMemoryChannelLayer(expiry=60)
    members = [await layer.new_channel() for _ in range(3)]
    outsider = await layer.new_channel()
    for channel in members:
        await layer.group_add("activity-1", channel)
    await layer.group_discard("activity-1", members[2])
    message = {"type": "live.event", "version": 1, "event": {"kind": "note"}}
    await layer.group_send("activity-1", message)
    message["event"]["kind"] = "changed by the sender afterwards"
    for channel in members[:2]:
        assert await layer.receive(channel) == {
            "type": "live.event",
            "version": 1,
            "event": {"kind": "note"},
        }
    assert members[2] not in layer.channels and outsider not in layer.channels
    await layer.group_send("nobody-here", message)


async def test_a_full_channel_misses_a_group_message_and_the_others_get_it():
    from jointlearn import layers

    layer = layers.InMemoryChannelLayer(expiry=60, capacity=2)
    slow, quick = await layer.new_channel(), await layer.new_channel()
    for channel in (slow, quick):
        await layer.group_add("activity-1", channel)
    for version in range(1, 4):
        await layer.group_send("activity-1", {"type": "live.event", "version": version})
        assert (await layer.receive(quick))["version"] == version
    assert [(await layer.receive(slow))["version"] for _ in range(2)] == [1, 2]
    # Drained queues nobody waits on go with the next clean (once a second).
    assert slow in layer.channels
    layer._cleaned_at = 0.0
    layer._clean_expired()
    assert slow not in layer.channels and quick not in layer.channels


async def test_a_queue_is_kept_while_its_channel_is_waited_on_and_made_once():
    from jointlearn import layers

    layer = layers.InMemoryChannelLayer(expiry=60, capacity=5)
    channel = await layer.new_channel()
    await layer.group_add("activity-1", channel)
    waiting = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    queue = layer.channels[channel]
    layer._cleaned_at = 0.0
    layer._clean_expired()
    assert layer.channels[channel] is queue
    await layer.group_send("activity-1", {"type": "live.event", "version": 1})
    await layer.send(channel, {"type": "live.event", "version": 2})
    assert (await waiting)["version"] == 1
    assert layer.channels[channel] is queue
    assert (await layer.receive(channel))["version"] == 2


def test_the_channel_layer_has_room_for_a_busy_worker():
    """redis-py 8 fails past 100 connections a pool, and its 5 s read timeout cut the
    layer's 5 s blocking receive: sockets were lost in the soak. The in-memory layer keeps
    channels' capacity per socket (100); channels_redis counts a worker's messages for all its
    sockets together, so it holds 1,000 (CHANNEL_CAPACITY overrides either)."""
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    expected = 1000 if os.environ.get("REDIS_URL") else 100
    assert config["capacity"] == settings.CHANNEL_CAPACITY == expected
    if os.environ.get("REDIS_URL"):
        (host,) = config["hosts"]
        assert host["address"] == os.environ["REDIS_URL"]
        assert host["max_connections"] >= 1000
        # Longer than the layer's blocking receive, or an idle socket's consumer dies.
        from channels_redis.core import RedisChannelLayer

        assert host["socket_timeout"] > RedisChannelLayer.brpop_timeout
    else:
        assert "hosts" not in config
