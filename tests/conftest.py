import pytest
from django.utils import translation

from grids.models import StaffRole
from tests.celery_worker import worker  # noqa: F401  (a real Celery worker, a fixture)
from tests.factories import UserFactory, assign, make_cadre, make_township_tree


@pytest.fixture(autouse=True)
def import_files(settings, tmp_path_factory):
    """Uploaded import files go to a folder of the test's own."""
    settings.IMPORT_FILE_DIR = tmp_path_factory.mktemp("imports")
    settings.VISIT_PHOTO_DIR = tmp_path_factory.mktemp("photos")
    settings.MEETING_FILE_DIR = tmp_path_factory.mktemp("meetings")
    settings.PORTAL_FILE_DIR = tmp_path_factory.mktemp("portal")
    return settings.IMPORT_FILE_DIR


@pytest.fixture(autouse=True)
def chinese():
    """What the tests read is Chinese, as the users read it (messages made outside a
    request, in services and imports, too)."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Counters and progress in the cache belong to one test (ids repeat across
    tests once their rows are rolled back)."""
    from grids.cache import cache_clear

    cache_clear()


@pytest.fixture
def tree(db):
    return make_township_tree()


class Cast:
    """The fixed cast for access tests (as healthchecks has alice, bob, charlie)."""

    def __init__(self, tree):
        self.tree = tree
        self.officer = UserFactory(username="officer", first_name="镇组织科")
        assign(self.officer, tree["township"], StaffRole.TOWNSHIP_OFFICER)
        self.grid_a = UserFactory(username="grid_a")
        assign(self.grid_a, tree["grid_A"], StaffRole.GRID_WORKER)
        self.grid_b = UserFactory(username="grid_b")
        assign(self.grid_b, tree["grid_B"], StaffRole.GRID_WORKER)
        self.secretary = UserFactory(username="secretary_a")
        assign(self.secretary, tree["branch_A"], StaffRole.BRANCH_SECRETARY)
        self.leader = UserFactory(username="leader")
        assign(self.leader, tree["township"], StaffRole.LEADER)
        self.community_b = UserFactory(username="community_b")
        assign(self.community_b, tree["community_B"], StaffRole.COMMUNITY_WORKER)
        self.outsider = UserFactory(username="outsider")
        # Cadres: one per grid, and one who lives in grid B but belongs to branch A.
        self.cadre_a = make_cadre(
            branch=tree["branch_A"], name="张三丰", phone="13812348000"
        )
        self.cadre_b = make_cadre(
            branch=tree["branch_B"], name="李四光", phone="13912345678"
        )
        self.cross = make_cadre(
            branch=tree["branch_A"], residence_unit=tree["community_B"], name="王五常"
        )


@pytest.fixture
def cast(tree):
    return Cast(tree)


@pytest.fixture
def pdf_engine():
    """WeasyPrint needs Pango (and a CJK font to print Chinese): a machine without
    them skips the PDF tests; CI, which installs them (.ci/run), fails instead."""
    import os

    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # the system library is missing
        reason = f"WeasyPrint cannot load Pango ({exc}); see the README's quick start"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
