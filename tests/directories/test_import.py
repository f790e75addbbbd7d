from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.directories import services
from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry

HEADER = "uai,label,city,department,zip_code,country\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def institutions_file(tmp_path):
    return write(
        tmp_path,
        "institutions.csv",
        HEADER
        + "0673021V,Université de Strasbourg,Strasbourg,Bas-Rhin,67081,France\n"  # line 2
        + "059YNCRE,Yncréa,Lille,Nord,59046,France\n"  # line 3: bad UAI
        + "0681166Y,,Mulhouse,Haut-Rhin,68093,France\n"  # line 4: no label
        + "\n"  # line 5: blank, ignored
        + "0681166Y,Université de Haute-Alsace,Mulhouse,Haut-Rhin,68093,France\n"  # line 6
        + "0670190t,  INSA   Strasbourg ,Strasbourg,Bas-Rhin,67084,France\n"  # line 7: cleaned
        + "0673021V,Doublon,Strasbourg,Bas-Rhin,67081,France\n"  # line 8: duplicate UAI
        + "0542493S,Université de Lorraine,Nancy,Meurthe,et,Moselle,54052,France\n"  # line 9: extra columns
        + f"0542455A,{'x' * 300},Nancy,Meurthe-et-Moselle,54037,France\n",  # line 10: label too long
    )


def test_import_counts_and_reports_bad_lines(db, institutions_file):
    report = services.import_institutions(institutions_file)

    assert (report.created, report.updated, report.unchanged, report.skipped) == (3, 0, 0, 5)
    assert HigherEducationInstitution.objects.count() == 3
    insa = HigherEducationInstitution.objects.get(uai="0670190T")
    assert insa.label == "INSA Strasbourg"
    lines = [message.split(": ", 1)[0] for message in report.errors]
    assert lines == [f"institutions.csv, line {n}" for n in (3, 4, 8, 9, 10)]
    assert "059YNCRE" in report.errors[0]
    assert "already given on line 2" in report.errors[2]


def test_import_is_idempotent_and_updates_changed_rows(db, institutions_file, tmp_path):
    services.import_institutions(institutions_file)
    again = services.import_institutions(institutions_file)
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 3, 5)
    assert HigherEducationInstitution.objects.count() == 3

    changed = write(tmp_path, "changed.csv", HEADER + "0673021V,Unistra,Strasbourg,Bas-Rhin,67000,France\n")
    report = services.import_institutions(changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    unistra = HigherEducationInstitution.objects.get(uai="0673021V")
    assert (unistra.label, unistra.zip_code) == ("Unistra", "67000")


def test_small_batches_give_the_same_result(db, institutions_file):
    calls = []
    report = services.import_institutions(institutions_file, batch_size=1, progress=calls.append)
    assert report.created == 3
    assert sum(calls) == report.read == 8  # every non-blank record after the header


def test_semicolons_bom_and_missing_optional_columns(db, tmp_path):
    path = write(tmp_path, "export.csv", "UAI;Label\n0673021V;Université de Strasbourg\n", encoding="utf-8-sig")
    report = services.import_institutions(path)
    assert report.created == 1
    institution = HigherEducationInstitution.objects.get()
    assert institution.country == "France"  # the model default, not an empty column
    assert institution.city == ""


def test_unreadable_files_raise_a_clear_error(db, tmp_path):
    with pytest.raises(services.DirectoryImportError, match="File not found"):
        services.import_schools(tmp_path / "missing.csv")
    with pytest.raises(services.DirectoryImportError, match="no column for label"):
        services.import_schools(write(tmp_path, "bad.csv", "uai,name\n0670080Y,Lycée Kléber\n"))
    with pytest.raises(services.DirectoryImportError, match="empty"):
        services.import_schools(write(tmp_path, "empty.csv", ""))
    assert not SchoolDirectoryEntry.objects.exists()


def test_shipped_files(db):
    institutions, schools = services.load_default_directories()
    assert (institutions.created, institutions.skipped) == (311, 1)
    assert (schools.created, schools.skipped) == (708, 2)
    assert "line 124" in institutions.errors[0]
    assert ["line 238" in schools.errors[0], "line 275" in schools.errors[1]] == [True, True]
    assert HigherEducationInstitution.objects.get(uai="0673021V").label == "Université de Strasbourg"
    assert SchoolDirectoryEntry.objects.get(uai="0670080Y").academy == "Strasbourg"
    assert not services.directories_need_loading()


def test_command_without_progress(db, institutions_file, tmp_path):
    schools = write(tmp_path, "schools.csv", "uai,label,city,academy\n0670080Y,Lycée Kléber,Strasbourg,Strasbourg\n")
    out, err = StringIO(), StringIO()
    args = ["--no-progress", "--institutions", str(institutions_file), "--schools", str(schools)]
    call_command("load_directories", *args, stdout=out, stderr=err)
    assert "Higher-education institutions: 3 created, 0 updated, 0 unchanged, 5 skipped" in out.getvalue()
    assert "Schools (UAI directory): 1 created" in out.getvalue()
    assert "institutions.csv, line 3: invalid UAI '059YNCRE'" in err.getvalue()
    assert "\r" not in err.getvalue()  # no progress bar

    out = StringIO()
    call_command("load_directories", *args, stdout=out, stderr=StringIO())
    assert "0 created, 0 updated, 3 unchanged" in out.getvalue()


def test_command_defaults_to_the_shipped_files(db):
    out = StringIO()
    call_command("load_directories", "--no-progress", stdout=out, stderr=StringIO())
    assert "311 created" in out.getvalue()
    assert "708 created" in out.getvalue()


def test_command_fails_on_a_missing_file_but_loads_the_other(db, tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "load_directories", "--no-progress", "--schools", str(tmp_path / "nope.csv"), stdout=StringIO(), stderr=err
        )
    assert "File not found" in err.getvalue()
    assert HigherEducationInstitution.objects.count() == 311
