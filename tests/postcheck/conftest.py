import pytest

from engines.postcheck import Context
from tests.postcheck.suite import load_context


@pytest.fixture(scope="session")
def context() -> Context:
    return load_context()
