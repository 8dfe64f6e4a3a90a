import pytest

from matching import notifications


@pytest.fixture
def send_promised_emails():
    """What the after-commit task does; tests run inside one transaction."""

    def send():
        for email_id in list(notifications.unsent()):
            notifications.send(email_id)

    return send


@pytest.fixture
def buyer_and_supplier(make_business, make_user, settings):
    """An Aurora buyer and a Seongnam supplier of brake pads, each with its own
    owner and private contact, published through the services."""
    settings.SEARCH_BACKEND = "database"
    buyer = make_business(owner=make_user("dana"), name="Front Range Brake Supply", seeks_hs=["870830"],
                          trade_roles=["importer"], contact_email="dana@frontrange.example",
                          contact_phone="+1 303 555 0100")
    supplier = make_business(owner=make_user("minjun"), name="Hanbit Brake Works", city="seongnam",
                             offers_hs=["870830"], seeks_hs=[], seeks_text="", trade_roles=["exporter"],
                             contact_email="minjun@hanbit.example", contact_phone="+82 31 555 0101")
    return buyer, supplier
