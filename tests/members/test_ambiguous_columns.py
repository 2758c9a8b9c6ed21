"""Issue 19: where several columns of a file could each be one field (家庭住址 and
现住址, 联系电话 and 手机), nothing is guessed: the web check asks which column to
read, the command refuses naming the columns and takes --map 列名=字段."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.imports.models import ImportJob, ImportStatus
from members.models import Cadre
from members.roster.importer import import_roster
from members.roster.reader import ColumnsAmbiguous

from .roster_files import id_number, write_roster

HEADER = ["姓名", "身份证号", "所属支部", "家庭住址", "现住址", "联系电话", "手机"]


def _file(tmp_path, number):
    row = [
        "吴六",
        number,
        "社区A党支部",
        "老家旧址1号",
        "社区A新居8号",
        "",
        "13800000088",
    ]
    return write_roster(tmp_path / "两列住址.xlsx", HEADER, [row])


def test_the_import_refuses_to_guess_and_names_the_columns(tmp_path, cast):
    with pytest.raises(ColumnsAmbiguous) as caught:
        import_roster(_file(tmp_path, id_number()), user=cast.officer)
    assert caught.value.choices == {
        "phone": ["联系电话", "手机"],
        "address": ["家庭住址", "现住址"],
    } or caught.value.choices == {
        "address": ["家庭住址", "现住址"],
        "phone": ["联系电话", "手机"],
    }
    message = str(caught.value)
    assert "家庭住址" in message and "现住址" in message and "手机" in message
    assert not Cadre.objects.filter(name="吴六").exists()


def test_a_choice_reads_the_chosen_column_and_leaves_the_other_out(tmp_path, cast):
    number = id_number()
    result = import_roster(
        _file(tmp_path, number),
        user=cast.officer,
        column_map={"现住址": "address", "家庭住址": "", "手机": "phone"},
    )
    assert result.errors == [] and result.created == 1
    cadre = Cadre.objects.get(id_number=number)
    assert (cadre.address, cadre.phone) == ("社区A新居8号", "13800000088")
    unused = " ".join(w.value for w in result.warnings if not w.column)
    assert "家庭住址" in unused and "联系电话" in unused  # named: not read


def test_the_same_header_twice_is_not_a_question(tmp_path, cast):
    number = id_number()
    path = write_roster(tmp_path / "r.xlsx", ["姓名", "身份证号", "所属支部", "备注", "备注"],
                        [["郑七", number, "社区A党支部", "第一列", "第二列"]])  # fmt: skip
    assert import_roster(path, user=cast.officer).created == 1
    assert Cadre.objects.get(id_number=number).requests == "第一列"


def test_the_command_refuses_naming_the_columns_and_takes_map(tmp_path, cast, capsys):
    number = id_number()
    path = str(_file(tmp_path, number))
    with pytest.raises(SystemExit) as exited:
        call_command("import_roster", path, "--user", "officer")
    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert "“家庭住址”" in said and "“现住址”" in said and "--map" in said
    with pytest.raises(SystemExit):
        call_command("import_roster", path, "--user", "officer", "--json")
    assert "现住址" in json.loads(capsys.readouterr().out)["error"]
    # The field by its template header, its key, or a synonym; "-" leaves a column out.
    call_command("import_roster", path, "--user", "officer",
                 "--map", "现住址=家庭住址", "--map", "手机=phone")  # fmt: skip
    cadre = Cadre.objects.get(id_number=number)
    assert (cadre.address, cadre.phone) == ("社区A新居8号", "13800000088")


def test_the_command_names_a_field_it_does_not_know(tmp_path, cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不认识字段“住处”"):
        call_command("import_roster", str(_file(tmp_path, id_number())), "--user",
                     "officer", "--map", "现住址=住处")  # fmt: skip
    with pytest.raises(CommandError, match="列名=字段"):
        call_command("import_roster", str(_file(tmp_path, id_number())), "--user",
                     "officer", "--map", "现住址")  # fmt: skip


def _upload(client, tmp_path, number):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _file(tmp_path, number).read_bytes()
    return client.post(reverse("imports:home"), {
        "kind": "roster", "mode": "create", "file": SimpleUploadedFile("r.xlsx", data),
    })  # fmt: skip


def test_the_web_check_asks_which_column_then_checks_again(
    client, cast, tmp_path, import_files
):
    client.force_login(cast.officer)
    number = id_number()
    _upload(client, tmp_path, number)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHOOSING and job.stored_file
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'id="import-choose"' in page and "“现住址”" in page and "家庭住址" in page
    assert 'id="confirm-import"' not in page and 'id="import-summary"' not in page
    choose = reverse("imports:choose", args=[job.pk])
    # Someone else's file: not found. An answer that is not one of the columns: asked again.
    client.force_login(cast.grid_a)
    assert client.post(choose, {"column-address": "现住址"}).status_code == 404
    client.force_login(cast.officer)
    response = client.post(choose, {"column-address": "户籍地", "column-phone": "手机"},
                           follow=True)  # fmt: skip
    assert "请选择" in response.content.decode()
    assert ImportJob.objects.get().status == ImportStatus.CHOOSING
    client.post(choose, {"column-address": "现住址", "column-phone": "手机"})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 1
    assert job.column_map == {"家庭住址": "", "现住址": "address", "联系电话": "",
                              "手机": "phone"}  # fmt: skip
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Cadre.objects.get(id_number=number).address == "社区A新居8号"


def test_a_file_waiting_for_a_choice_can_be_discarded(
    client, cast, tmp_path, import_files
):
    client.force_login(cast.officer)
    _upload(client, tmp_path, id_number())
    job = ImportJob.objects.get()
    client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.ABANDONED and not job.stored_file
