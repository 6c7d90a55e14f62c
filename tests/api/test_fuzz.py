"""Fuzzing generated from the API's own OpenAPI document (schemathesis, in-process through Django's WSGI app):
whatever the parameters, the API answers what it documents and never a 5xx.

It runs against the real search service and detail functions on the test database (empty unless other tests filled
it), so query-syntax errors of the search backends would show up here as 500s.

The schema is loaded at import time with `from_dict` rather than `schemathesis.pytest.from_fixture`: the lazy loader
of schemathesis 4.32.5 writes `request.node._nodeid`, which pytest 9 no longer has.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from spro.api.views import openapi_schema
from spro.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(openapi_schema())
schema.app = application


@pytest.fixture(autouse=True)
def _fuzz_setup(settings):
    settings.SPRO_API_RATE_LIMIT = ""  # the fuzzer fires hundreds of requests; limits are tested elsewhere
    # Like Django's test client: the WSGI handler must not close the test's database connection after a request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_answers_5xx_and_matches_its_document(case):
    # A schema-valid request may still be refused with a documented 400 (a commune absent from the database, a
    # query the normaliser reduces to nothing): that is the service's semantic check, not a contract breach.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
