import pytest

from tests.factories import make_township_tree


@pytest.fixture
def tree(db):
    return make_township_tree()
