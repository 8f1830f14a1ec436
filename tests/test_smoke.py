def test_senco_lists_pupils(api, world):
    response = api("senco").get("/api/v1/pupils/")
    assert response.status_code == 200
    assert sorted(p["id"] for p in response.get_json()) == sorted(world["home"]["pupils"])
