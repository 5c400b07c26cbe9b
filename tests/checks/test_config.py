import pytest

from clearline.checks import CheckConfig, ConfigError


def write(tmp_path, text):
    path = tmp_path / "clearline.toml"
    path.write_text(text)
    return path


def test_an_admin_loads_every_setting_from_clearline_toml(tmp_path):
    config = CheckConfig.from_toml(
        write(
            tmp_path,
            """
[checks]
glossary = ["ledgerd", "queue-7"]
disable = ["CL107", "missing-owner"]
[checks.readability]
grade = 8
review_grade = 12
max_sentence_words = 30
[checks.severity]
CL117 = "error"
hard-to-read = "info"
[checks.phrases]
jargon = ["blue-green"]
""",
        )
    )
    assert config.glossary == ("ledgerd", "queue-7")
    assert not config.is_enabled("CL107") and not config.is_enabled("CL105")
    assert config.grade_limit("first") == 8 and config.grade_limit("review") == 12
    assert config.max_sentence_words == 30
    assert config.severity("CL117", "warning") == "error"
    assert config.severity("CL120", "warning") == "info"
    assert config.phrases("jargon") == ("blue-green",)


def test_an_empty_file_gives_the_defaults(tmp_path):
    config = CheckConfig.from_toml(write(tmp_path, ""))
    assert config == CheckConfig()


@pytest.mark.parametrize(
    "text, message",
    [
        ("[checks]\ndisable = ['CL999']", "disable: 'CL999' is not a rule code or name"),
        ("[checks.severity]\nCL104 = 'fatal'", "severity for 'CL104' must be one of"),
        ("[checks]\ncolour = true", "unknown setting checks.colour"),
        ("[checks.readability]\ngrade = 'ten'", "checks.readability.grade must be a number"),
        ("[checks]\nglossary = 'ledgerd'", "checks.glossary must be a list of strings"),
        ("[checks.phrases]\nCL104 = ['x']", "phrases: 'CL104' has no phrase list"),
        ("[checks\n", "is not valid TOML"),
        ("[checks]\nlanguage = 'xx'", "language: no phrase lists for 'xx'"),
        ("[checks]\nlanguage = '../en'", "language: no phrase lists for '../en'"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        CheckConfig.from_toml(write(tmp_path, text))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        CheckConfig.from_toml(tmp_path / "nope.toml")
