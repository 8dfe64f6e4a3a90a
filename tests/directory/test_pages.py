"""A firm's profile form: what it shows and how it reports bad input."""

import pytest

from directory.models import Business

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def edit_url(business):
    return f"/en/me/firms/{business.slug}/edit/"


def form_data(client, business, **changes):
    """What the browser would post: the form as shown, with some fields changed."""
    initial = client.get(edit_url(business)).context["form"].initial
    data = {name: value for name, value in initial.items() if value is not None}
    data.update(changes)
    return data


def test_the_edit_page_shows_the_profile_as_it_is(client, make_business):
    business = make_business(status=Business.Status.DRAFT, offers_hs=["870830", "870899"])
    client.force_login(business.owner)
    page = client.get(edit_url(business)).content.decode()
    assert 'value="Front Range Brake Supply"' in page
    assert 'value="870830, 870899"' in page
    assert "Distributor of brake parts" in page


@pytest.mark.parametrize("field, value, message", [
    ("description", "x" * 4001, "at most 4000 characters"),
    ("offers_text", "x" * 1001, "at most 1000 characters"),
    ("seeks_text", "x" * 1001, "at most 1000 characters"),
    ("name", "x" * 201, "at most 200 characters"),
    ("offers_hs", ", ".join(["870830"] * 51), "no more than 50"),
    ("certifications", ", ".join(f"Cert {n}" for n in range(51)), "no more than 50"),
])
def test_the_form_shows_a_field_over_its_limit_on_that_field(client, make_business, field, value, message):
    business = make_business(status=Business.Status.DRAFT)
    client.force_login(business.owner)
    response = client.post(edit_url(business), form_data(client, business, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert message in " ".join(errors[field])
    business.refresh_from_db()
    assert business.name == "Front Range Brake Supply" and business.description.startswith("Distributor")
