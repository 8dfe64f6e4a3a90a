"""No page shows a firm's contact email or phone to anyone who has not earned
it: not to visitors, not to other firms, not to volunteers of other cities.
The people who may see it (the firm itself, its city's volunteer, the firm it
was introduced to) do, so the check cannot pass by showing nothing at all."""

import pytest

from . import network

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def visible_private(page, paths, firms):
    """{path: [the private values of each city's firm found on the page]}."""
    leaks = {}
    for path in paths:
        page.goto(page.base + path)
        html = page.content()
        found = [value for values in network.PRIVATE.values() for value in values if value in html]
        if found:
            leaks[path] = found
    return leaks


def test_contacts_stay_hidden_from_everyone_who_has_not_earned_them(open_page, make_user, make_business, staff):
    users, firms, _ = network.build(make_user=make_user, make_business=make_business, staff=staff)
    public_paths = ["/en/", "/en/directory/?q=brake", "/en/directory/?q=sesame", "/en/cities/seongnam/",
                    "/en/cities/adama/", *(f"/en/b/{firm.slug}/" for firm in firms.values())]
    for who in (None, "adama", "chihuahua-volunteer"):
        page = open_page(user=users.get(who))
        paths = public_paths + (["/en/me/", "/en/me/introductions/"] if who else [])
        leaks = visible_private(page, paths, firms)
        own = network.PRIVATE["adama"] if who == "adama" else ()
        leaks = {path: [v for v in found if v not in own] for path, found in leaks.items()}
        assert not any(leaks.values()), f"{who or 'a visitor'} saw {leaks}"

    # The staff desk's queues show names, never contacts.
    desk = open_page(user=users["chihuahua-volunteer"])
    for path in ("/en/staff/", "/en/staff/profiles/?status=published", "/en/staff/introductions/"):
        response = desk.goto(desk.base + path)
        assert response.status in (200, 403)
        assert not any(value in desk.content() for values in network.PRIVATE.values() for value in values)

    # Those who may see a contact do.
    helper = open_page(user=users["seongnam-helper"])
    helper.goto(f"{helper.base}/en/b/{firms['seongnam'].slug}/")
    assert network.PRIVATE["seongnam"][0] in helper.content()
    introduced = open_page(user=users["frontrange"])
    introduced.goto(f"{introduced.base}/en/b/{firms['seongnam'].slug}/")
    assert network.PRIVATE["seongnam"][1] in introduced.content()
    introduced.goto(f"{introduced.base}/en/b/{firms['adama'].slug}/")
    assert network.PRIVATE["adama"][0] not in introduced.content()
