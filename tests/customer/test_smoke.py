async def test_create_and_read_customer(customer):
    response = await customer.post("/api/v1/customers", json={"name": "Ada Lovelace", "username": "  Ada "})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == "ada"
    read = await customer.get(f"/api/v1/customers/{body['id']}")
    assert read.status_code == 200
    assert read.json() == body
