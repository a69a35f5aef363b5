"""The pricing and limits calculator pages, and the calculators embedded in note pages."""

import re
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from cards.calculators.pricing import monthly_cost
from cards.content.sync import NoteFile, import_deck

PRICING = reverse("pricing_calculator")
LIMITS = reverse("limits_calculator")
HTMX = {"HX-Request": "true", "HX-Target": "calc0-result"}


def page(response) -> str:
    return response.content.decode()


def test_visitor_is_sent_to_log_in_from_the_calculators(client, db):
    for url in [PRICING, LIMITS, f"{PRICING}?requests=5"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_pricing_page_shows_a_result_for_its_defaults_on_first_load(alice_client):
    response = alice_client.get(PRICING)
    assert response.status_code == 200
    html = page(response)
    assert 'value="3000000"' in html and 'value="1536"' in html, "prefilled defaults"
    assert '<option value="arm64" selected>' in html
    assert "Monthly total" in html and "$2.27" in html
    assert "Calculate</button>" in html, "a plain GET form works without JavaScript"
    assert "<html" in html


def test_pricing_page_breaks_the_bill_down_with_free_tier_and_sources(alice_client):
    query = urlencode({"requests": 5000000, "duration_ms": 200, "memory_mb": 512, "arch": "x86_64"})
    html = page(alice_client.get(f"{PRICING}?{query}"))
    assert "$2.47" in html, "the worked example in the pricing note"
    for item in ["Requests, free tier", "Compute, free tier", "Compute (x86_64), first 6 billion"]:
        assert item in html, item
    assert "1,000,000 requests" in html and "100,000 GB-seconds" in html
    assert re.search(r'<rect class="calc-part-compute" x="[\d.]+" y="0" width="[\d.]+"', html)
    assert 'href="https://aws.amazon.com/lambda/pricing/"' in html
    assert "aws.amazon.com/lambda/pricing</a>, checked 2026-11-23" in html
    assert "style=" not in html and "<script>" not in html, "nothing a strict CSP would block"


def test_htmx_request_gets_just_the_result_box(alice_client):
    response = alice_client.get(f"{PRICING}?requests=5000000", headers=HTMX)
    html = page(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="calc0-result"'), html[:80]
    assert "<html" not in html and "<form" not in html
    assert "Monthly total" in html


def test_shared_url_reproduces_the_result(alice_client):
    params = {
        "requests": "12345678",
        "duration_ms": "87.5",
        "memory_mb": "3008",
        "arch": "x86_64",
        "ephemeral_mb": "4096",
        "free_tier": "no",
    }
    expected = monthly_cost(
        requests=12345678,
        duration_ms=Decimal("87.5"),
        memory_mb=3008,
        arch="x86_64",
        ephemeral_mb=4096,
        free_tier=False,
    )
    html = page(alice_client.get(f"{PRICING}?{urlencode(params)}"))
    assert f'<strong class="calc-total-value">${expected.total_usd:,}</strong>' in html
    assert f"?{urlencode(params).replace('&', '&amp;')}" in html, "a link to this calculation"
    assert "Ephemeral storage above 512 MB" in html
    assert "Requests, free tier" not in html


def test_pricing_page_prices_provisioned_concurrency_from_the_url(alice_client):
    # AWS's launch-day example: $19.96.
    params = {
        "requests": "3000000",
        "duration_ms": "120",
        "memory_mb": "1536",
        "arch": "x86_64",
        "provisioned_concurrency": "100",
        "provisioned_hours": "8",
        "provisioned_requests": "500000",
        "provisioned_duration_ms": "100",
    }
    html = page(alice_client.get(f"{PRICING}?{urlencode(params)}"))
    assert '<strong class="calc-total-value">$19.96</strong>' in html
    assert "Provisioned concurrency (x86_64), 100 x 1,536 MB for 8 h" in html
    assert "Compute with provisioned concurrency (x86_64)" in html
    assert re.search(r'<details class="calc-more" open>\s*<summary>Provisioned concurrency', html)
    assert '<details class="calc-more">\n    <summary>SnapStart' in html, "unused groups stay shut"
    link = re.search(r'href="/calculators/pricing/\?([^"]+)">Link to this calculation', html)
    assert "provisioned_concurrency=100" in link.group(1)
    assert "snapstart" not in link.group(1), "a shared link names only what is set"
    assert "calc-part-optional" in html, "the provisioned charge has its own part of the bar"
    assert "checked 2026-11-30" in html, "its prices' date is cited"


def test_pricing_page_prices_lambda_at_edge_and_managed_instances(alice_client):
    edge = {"requests": "10000000", "duration_ms": "10", "memory_mb": "128", "compute": "edge"}
    html = page(alice_client.get(f"{PRICING}?{urlencode(edge)}"))
    assert '<strong class="calc-total-value">$6.63</strong>' in html
    assert "Lambda@Edge has its own prices and no free tier." in html
    managed = {
        "requests": "100000000",
        "duration_ms": "200",
        "memory_mb": "2048",
        "free_tier": "no",
        "compute": "managed-instances",
        "instance_hours": "2000",
        "instance_hourly_usd": "0.0457",
        "instance_on_demand_hourly_usd": "0.1632",
    }
    html = page(alice_client.get(f"{PRICING}?{urlencode(managed)}"))
    assert '<strong class="calc-total-value">$160.36</strong>' in html


def test_an_arm_price_aws_does_not_publish_is_refused_next_to_the_architecture(alice_client):
    params = {"arch": "arm64", "provisioned_concurrency": "5", "provisioned_hours": "1"}
    html = page(alice_client.get(f"{PRICING}?{urlencode(params)}", headers=HTMX))
    assert "Fix the values marked above" in html
    errors = re.search(
        r'id="calc0-arch-errors" role="alert" hx-swap-oob="true">(.*?)</div>', html, re.S
    )
    assert "no Arm price for provisioned concurrency" in errors.group(1)


def test_pricing_form_errors_show_next_to_their_fields(alice_client):
    for params, field, message in [
        ({"requests": "-5"}, "requests", "greater than or equal to 0"),
        ({"requests": "abc"}, "requests", "Enter a whole number."),
        ({"memory_mb": "999999"}, "memory_mb", "Lambda allows 128 MB to 10,240 MB."),
        ({"duration_ms": "0"}, "duration_ms", "more than 0 ms"),
        ({"duration_ms": "1000000"}, "duration_ms", "maximum timeout of 900 seconds"),
    ]:
        response = alice_client.get(f"{PRICING}?{urlencode(params)}")
        assert response.status_code == 200, "htmx does not swap a 4xx"
        html = page(response)
        errors = re.search(rf'id="calc0-{field}-errors" role="alert">(.*?)</div>', html, re.S)
        assert message in errors.group(1), (params, errors.group(1))
        assert "Monthly total" not in html, params


def test_htmx_form_errors_arrive_out_of_band_next_to_their_fields(alice_client):
    html = page(alice_client.get(f"{PRICING}?memory_mb=999999", headers=HTMX))
    assert "Fix the values marked above" in html
    assert re.search(
        r'<div class="field-errors" id="calc0-memory_mb-errors" role="alert" '
        r'hx-swap-oob="true">.*Lambda allows 128 MB',
        html,
        re.S,
    )


def test_an_htmx_request_from_an_embedded_calculator_answers_into_its_own_box(alice_client):
    headers = {"HX-Request": "true", "HX-Target": "calc2-result"}
    html = page(alice_client.get(f"{PRICING}?memory_mb=999999", headers=headers))
    assert html.lstrip().startswith('<div id="calc2-result"')
    assert 'id="calc2-memory_mb-errors"' in html


def test_limits_page_says_all_is_well_for_its_defaults(alice_client):
    html = page(alice_client.get(LIMITS))
    assert "All within Lambda's limits" in html
    assert 'value="1536"' in html
    assert "docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html</a>, checked" in html


def test_limits_page_explains_each_violation_and_warns_near_a_limit(alice_client):
    html = page(alice_client.get(f"{LIMITS}?memory_mb=20000&timeout_s=880&layers="))
    assert "1 limit exceeded" in html
    assert "Maximum function memory" in html and "memory.max" in html
    assert "<dd>20,000 MB</dd>" in html and "<dd>10,240 MB</dd>" in html
    assert "no, a hard limit" in html
    assert "Split the work across invocations" in html, "the hint"
    assert 'href="https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"' in html
    assert "Near the limit" in html and "within 10% of the maximum of 900 seconds" in html
    assert "All within" not in html


def test_limits_form_refuses_negative_non_numeric_and_absurd_values(alice_client):
    for params, field, message in [
        ({"env_bytes": "-1"}, "env_bytes", "greater than or equal to 0"),
        ({"zip_mb": "lots"}, "zip_mb", "Enter a number."),
        ({"timeout_s": "9000000"}, "timeout_s", "over 1,000 times Lambda's limit"),
        ({"memory_mb": "0"}, "memory_mb", "must be more than 0"),
        ({"memory_mb": "1e30"}, "memory_mb", "must be between 1e-24 and 1e24"),
    ]:
        html = page(alice_client.get(f"{LIMITS}?{urlencode(params)}"))
        assert "Fix the values marked above" in html, params
        errors = re.search(rf'id="calc0-{field}-errors" role="alert">(.*?)</div>', html, re.S)
        assert message in errors.group(1).replace("&#x27;", "'"), (params, errors.group(1))


def test_limits_htmx_request_gets_just_the_result_box(alice_client):
    html = page(alice_client.get(f"{LIMITS}?layers=6", headers=HTMX))
    assert html.lstrip().startswith('<div id="calc0-result"')
    assert "1 limit exceeded" in html and "<form" not in html


def test_note_page_shows_embedded_calculators_prefilled(alice_client):
    import_deck(
        "d",
        [
            NoteFile(
                "n.md",
                b"# Costs\n\nA worked example.\n\n```lambda-pricing\nrequests: 5000000\n"
                b"duration_ms: 200\nmemory_mb: 512\narch: x86_64\n```\n\n"
                b"```lambda-limits\nlayers: 6\n```\n",
            )
        ],
    )
    html = page(alice_client.get(reverse("note", args=["d", "n"])))
    assert "A worked example." in html, "the rest of the note is untouched"
    assert 'class="calc-embed"' not in html, "every placeholder was replaced"
    assert re.search(
        r'<input type="number" name="requests" value="5000000"[^>]*id="calc1-requests"', html
    )
    assert 'hx-target="#calc1-result"' in html and 'hx-target="#calc2-result"' in html
    assert 'hx-push-url="false"' in html, "typing in a note does not change the note's URL"
    assert '<strong class="calc-total-value">$2.47</strong>' in html
    assert "Layer count 6 is over the maximum of 5 layers" in html
    assert len(re.findall(r'id="(calc\d-result)"', html)) == len(
        set(re.findall(r'id="(calc\d-result)"', html))
    ), "two embeds never share an id"


def test_an_embedded_calculator_takes_the_optional_charges_from_its_block(alice_client):
    import_deck(
        "d",
        [
            NoteFile(
                "n.md",
                b"# Sale day\n\n```lambda-pricing\nrequests: 2000000\nduration_ms: 280\n"
                b"memory_mb: 4096\narch: x86_64\nfree_tier: no\nprovisioned_concurrency: 7\n"
                b"provisioned_hours: 24\nprovisioned_requests: 2000000\n```\n",
            )
        ],
    )
    html = page(alice_client.get(reverse("note", args=["d", "n"])))
    assert '<strong class="calc-total-value">$32.26</strong>' in html
    assert re.search(
        r'name="provisioned_concurrency" value="7"[^>]*id="calc1-provisioned_conc', html
    )


def test_a_history_restore_gets_the_whole_page_and_answers_vary_on_htmx(alice_client):
    url = "/calculators/pricing/?requests=5000000&duration_ms=200&memory_mb=512"
    fragment = alice_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="calc0-result")
    restored = alice_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" not in fragment.content.decode(), "a swap gets the result only"
    assert "<html" in restored.content.decode(), "the Back button after a cache miss: a page"
    for response in (fragment, restored, alice_client.get(url)):
        assert "HX-Request" in response["Vary"]
