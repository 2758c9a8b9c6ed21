"""Imports in the browser (issue 7): upload, check, confirm, files, hostile files."""

import io
import os
import re
import time
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from grids.models import AccessLog, BulkChange
from members.imports import services
from members.imports.models import ImportJob, ImportStatus
from members.models import Cadre

from .roster_files import id_number, write_roster

HEADER = ["姓名", "身份证号", "所属支部", "联系电话"]


def xlsx_bytes(tmp_path, header, rows, **kwargs) -> bytes:
    return write_roster(tmp_path / "upload.xlsx", header, rows, **kwargs).read_bytes()


def upload(client, data: bytes, name="花名册.xlsx", **fields):
    post = {"kind": "roster", "mode": "create", "file": SimpleUploadedFile(name, data)}
    post.update(fields)
    return client.post(reverse("imports:home"), post)


def stored_files(directory) -> list[str]:
    return sorted(os.listdir(directory))


def only_job() -> ImportJob:
    return ImportJob.objects.get()


# ---- the flow ------------------------------------------------------------------------


def test_it_checks_first_and_writes_only_after_confirmation(
    client, cast, tmp_path, import_files
):
    client.force_login(cast.officer)
    rows = [[f"新{i}", id_number(), "社区A党支部", "13800000000"] for i in range(3)]
    before = Cadre.objects.count()
    response = upload(client, xlsx_bytes(tmp_path, HEADER, rows))
    job = only_job()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:detail", args=[job.pk]
    )
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 3
    assert Cadre.objects.count() == before  # a check writes nothing
    page = client.get(response["Location"]).content.decode()
    assert "确认导入" in page and "将新增" in page
    # The stored upload is readable by the application only.
    (name,) = stored_files(import_files)
    assert oct(os.stat(import_files / name).st_mode & 0o777) == "0o600"

    response = client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result["created"] == 3
    assert Cadre.objects.count() == before + 3
    assert stored_files(import_files) == []  # the upload is gone once imported
    assert BulkChange.objects.get().rows == 3
    # Confirming again (a double click) imports nothing more.
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Cadre.objects.count() == before + 3
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "导入已完成" in page


def test_errors_are_listed_and_the_error_file_downloads_logged(
    client, cast, tmp_path, import_files
):
    client.force_login(cast.officer)
    rows = [
        ["好人", id_number(), "社区A党支部", "13800000000"],
        ["坏号", "110101194505060000", "社区A党支部", ""],
        ["无支部", id_number(), "不存在党支部", ""],
    ]
    upload(client, xlsx_bytes(tmp_path, HEADER, rows))
    job = only_job()
    assert job.status == ImportStatus.PREVIEWED and job.preview["refused"] == 2
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "校验位错误" in page and "不存在党支部" in page
    assert 'id="confirm-import"' not in page  # nothing to confirm while rows are bad
    response = client.get(reverse("imports:error_file", args=[job.pk]))
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-1] == "错误信息"
    assert "第3行" in values[2][-1] and "第4行" in values[3][-1]
    log = AccessLog.objects.get(object_type="import_errors")
    assert (log.user, log.action, log.object_id) == (cast.officer, "export", str(job.pk))
    # Discarding deletes the upload and the error file at once.
    client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.ABANDONED and stored_files(import_files) == []


def test_skip_invalid_imports_the_valid_rows_and_keeps_the_bad_ones_in_a_file(
    client, cast, tmp_path
):
    client.force_login(cast.officer)
    rows = [["甲", id_number(), "社区A党支部", ""], ["乙", "123", "社区A党支部", ""]]
    upload(client, xlsx_bytes(tmp_path, HEADER, rows), skip_invalid="on")
    job = only_job()
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "导入正确的行" in page
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result["created"] == 1
    assert job.error_file  # the refused row, ready to correct
    assert Cadre.objects.filter(name="甲").exists()


# ---- hostile and wrong files ----------------------------------------------------------


def refused(client, data: bytes, name="花名册.xlsx") -> str:
    response = upload(client, data, name=name)
    assert response.status_code == 400
    assert not ImportJob.objects.exists()
    errors = re.findall(
        r'<ul class="errorlist"[^>]*><li>(.*?)</li>', response.content.decode()
    )
    assert errors, response.content.decode()
    return errors[0]


def still_works(client, tmp_path):
    """After a hostile file, the next import goes through as usual."""
    rows = [["后来", id_number(), "社区A党支部", ""]]
    upload(client, xlsx_bytes(tmp_path, HEADER, rows))
    job = ImportJob.objects.latest("created_at")
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 1


def test_a_renamed_pdf_is_named_for_what_it_is(client, cast, tmp_path, import_files):
    client.force_login(cast.officer)
    message = refused(client, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert "PDF" in message and ".xlsx" in message
    assert stored_files(import_files) == []
    still_works(client, tmp_path)


def test_a_password_protected_workbook_says_how_to_remove_the_password(
    client, cast, tmp_path
):
    from msoffcrypto.format.ooxml import OOXMLFile

    client.force_login(cast.officer)
    plain = io.BytesIO(
        xlsx_bytes(tmp_path, HEADER, [["甲", id_number(), "社区A党支部", ""]])
    )
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", encrypted)
    message = refused(client, encrypted.getvalue())
    assert "密码" in message and "加密" in message
    still_works(client, tmp_path)


def test_an_old_xls_workbook_is_read(client, cast, tmp_path):
    import xlwt

    client.force_login(cast.officer)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    number = id_number()
    for col, value in enumerate(HEADER):
        sheet.write(0, col, value)
    for col, value in enumerate(["老表格", number, "社区A党支部", "13800000000"]):
        sheet.write(1, col, value)
    data = io.BytesIO()
    book.save(data)
    response = upload(client, data.getvalue(), name="花名册.xls")
    assert response.status_code == 302
    job = only_job()
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 1
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Cadre.objects.get(id_number=number).name == "老表格"


def test_an_empty_sheet_is_a_message_not_a_crash(client, cast, tmp_path):
    client.force_login(cast.officer)
    data = io.BytesIO()
    Workbook().save(data)
    upload(client, data.getvalue())
    job = only_job()
    assert job.status == ImportStatus.FAILED and "空" in job.message
    assert job.stored_file == ""
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert job.message in page
    still_works(client, tmp_path)


def test_a_zip_bomb_is_refused_before_it_is_expanded(client, cast, tmp_path, settings):
    settings.IMPORT_MAX_EXPANDED_BYTES = 20 * 1024 * 1024
    client.force_login(cast.officer)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    assert len(data.getvalue()) < 1024 * 1024
    message = refused(client, data.getvalue())
    assert "MB" in message and "上限" in message
    still_works(client, tmp_path)


def test_a_file_over_the_size_limit_is_refused(client, cast, tmp_path, import_files):
    client.force_login(cast.officer)
    message = refused(client, b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))
    assert "太大" in message and "20.0 MB" in message
    assert stored_files(import_files) == []
    still_works(client, tmp_path)


def test_formulas_are_read_as_their_cached_values(client, cast, tmp_path):
    client.force_login(cast.officer)
    number = id_number()
    path = write_roster(
        tmp_path / "f.xlsx", HEADER, [["占位", number, "社区A党支部", ""]]
    )
    # Excel keeps a formula and its last value; the value is what counts.
    rewritten = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<c r="A2"[^>]*>.*?</c>',
                    '<c r="A2" t="str"><f>CONCAT("公","式")</f><v>公式</v></c>'.encode(),
                    content,
                )
            target.writestr(item, content)
    upload(client, rewritten.read_bytes())
    client.post(reverse("imports:confirm", args=[only_job().pk]))
    assert Cadre.objects.get(id_number=number).name == "公式"


def test_a_million_formatted_blank_rows_cost_nothing(client, cast, tmp_path):
    client.force_login(cast.officer)
    number = id_number()
    path = write_roster(
        tmp_path / "b.xlsx", HEADER, [["空尾", number, "社区A党支部", ""]]
    )
    blank = "".join(
        f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>'
        for n in range(3, 2**20 + 1)
    ).encode()
    rewritten = tmp_path / "blank.xlsx"
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", blank + b"</sheetData>")
            target.writestr(item.filename, content)
    started = time.monotonic()
    upload(client, rewritten.read_bytes())
    job = only_job()
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 1
    assert job.preview["errors"] == []
    assert time.monotonic() - started < 60  # generous: a guard against a hang only


def test_a_word_document_or_plain_text_is_named_for_what_it_is(client, cast):
    """A CSV is read now (tests/members/test_other_formats.py); a Word document or
    text that is no table is refused, saying what to do."""
    client.force_login(cast.officer)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert "Word" in refused(client, data.getvalue(), name="花名册.docx")
    message = refused(client, "请查收花名册。".encode(), name="花名册.txt")
    assert "另存" in message


# ---- files are not kept ---------------------------------------------------------------


def test_the_sweep_removes_files_a_day_old_and_abandons_unconfirmed_imports(
    client, cast, tmp_path, import_files
):
    client.force_login(cast.officer)
    upload(client, xlsx_bytes(tmp_path, HEADER, [["甲", "123", "社区A党支部", ""]]))
    job = only_job()
    assert job.stored_file and job.error_file and len(stored_files(import_files)) == 2
    assert services.imports_sweep() == 0  # young files stay
    later = timezone.now() + timezone.timedelta(hours=25)
    assert services.imports_sweep(now=later) == 2
    job.refresh_from_db()
    assert job.status == ImportStatus.ABANDONED and (job.stored_file, job.error_file) == (
        "",
        "",
    )
    assert stored_files(import_files) == []
    assert services.imports_sweep(now=later) == 0  # twice changes nothing


# ---- who may import what ------------------------------------------------------------


def test_imports_need_a_role_that_may_change_cadres(client, cast, tmp_path):
    for user in (cast.outsider, cast.leader):
        client.force_login(user)
        assert client.get(reverse("imports:home")).status_code == 403
        assert upload(client, xlsx_bytes(tmp_path, HEADER, [])).status_code == 403


def test_a_grid_worker_imports_only_into_their_grid_and_sees_only_their_imports(
    client, cast, tmp_path
):
    client.force_login(cast.grid_a)
    page = client.get(reverse("imports:home")).content.decode()
    assert 'value="roster"' in page and 'value="tree"' not in page
    assert client.get(reverse("imports:template", args=["tree"])).status_code == 404
    rows = [
        ["甲", id_number(), "社区A党支部", ""],
        ["乙", id_number(), "社区B党支部", ""],
    ]
    upload(client, xlsx_bytes(tmp_path, HEADER, rows))
    job = only_job()
    (error,) = job.preview["errors"]
    assert error["row"] == 3 and "范围" in error["message"]
    # Another user's import is not there for them, nor theirs for others.
    client.force_login(cast.grid_b)
    for name in ("imports:detail", "imports:progress", "imports:error_file"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404


def test_progress_is_reported_while_a_big_file_is_checked(
    client, cast, tmp_path, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 10
    client.force_login(cast.officer)
    seen = []
    real = services.progress_report

    def spy(job_id, counts):
        seen.append(dict(counts))
        real(job_id, counts)

    from members.roster.importer import pipeline as importer

    settings_rows = [[f"大{i}", id_number(), "社区A党支部", ""] for i in range(1200)]
    original = importer.LOOKUP_BATCH
    importer.LOOKUP_BATCH = 500
    try:
        services.progress_report = spy
        upload(client, xlsx_bytes(tmp_path, HEADER, settings_rows))
    finally:
        services.progress_report = real
        importer.LOOKUP_BATCH = original
    job = only_job()
    assert job.background and job.rows_total == 1201
    assert sorted({c["validated"] for c in seen}) == [0, 500, 1000, 1200]
    assert max(c["read"] for c in seen) == 1200
    progress = client.get(reverse("imports:progress", args=[job.pk])).json()
    assert progress["finished"] and progress["status"] == "previewed"


def test_the_admin_import_buttons_lead_to_the_same_engine(client, cast):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="Test-pass-2026")
    client.force_login(admin)
    for model, kind in (("members/cadre", "roster"), ("grids/orgunit", "tree"),
                        ("grids/partnerunit", "partners")):  # fmt: skip
        page = client.get(f"/admin/{model}/").content.decode()
        assert f"/admin/{model}/import/" in page
        response = client.get(f"/admin/{model}/import/")
        assert (
            response.status_code == 302
            and response["Location"] == f"/imports/?kind={kind}"
        )
    page = client.get("/imports/?kind=partners").content.decode()
    assert 'value="partners" selected' in page


def test_a_failing_import_says_so_and_logs_nothing_of_the_file(
    client, cast, tmp_path, caplog, monkeypatch, import_files
):
    import dataclasses

    from members.imports.engines import ENGINES

    secret = id_number()

    def boom(*args, **kwargs):
        raise ValueError(f"cannot handle {secret}")

    monkeypatch.setitem(
        ENGINES, "roster", dataclasses.replace(ENGINES["roster"], run=boom)
    )
    client.force_login(cast.officer)
    upload(client, xlsx_bytes(tmp_path, HEADER, [["甲", secret, "社区A党支部", ""]]))
    job = only_job()
    assert job.status == ImportStatus.FAILED and "未保存任何数据" in job.message
    assert stored_files(import_files) == []
    assert "ValueError" in caplog.text and secret not in caplog.text
