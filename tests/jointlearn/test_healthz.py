from django.db import connection


async def test_healthz_reports_ok(async_client, db):
    response = await async_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "channel_layer": "ok"}


async def test_healthz_reports_a_broken_channel_layer(async_client, db, monkeypatch):
    from jointlearn import views

    class BrokenLayer:
        async def new_channel(self, prefix):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(views, "get_channel_layer", lambda: BrokenLayer())
    response = await async_client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "channel_layer": "error: ConnectionError"}


async def test_healthz_reports_a_broken_database(async_client, db, monkeypatch):
    from jointlearn import views

    def broken():
        raise connection.Database.OperationalError("database is gone")

    monkeypatch.setattr(views, "_touch_database", broken)
    response = await async_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
    assert response.json()["channel_layer"] == "ok"
