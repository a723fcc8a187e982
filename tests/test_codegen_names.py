"""`generator.names`: document names become safe identifiers; document prose cannot leave a docstring."""

from __future__ import annotations

import ast
import keyword

import pytest

from generator.names import class_name, comment_text, docstring_text, function_name, python_literal, unique

EVIL = 'x"""; import os; os.system("touch /tmp/pwned") #'


@pytest.mark.parametrize(
    ("raw", "cls", "func"),
    [
        ("S3Event", "S3Event", "s3_event"),
        ("APIGatewayV2ProxyEvent", "APIGatewayV2ProxyEvent", "api_gateway_v2_proxy_event"),
        ("receiveS3Event", "ReceiveS3Event", "receive_s3_event"),
        ("x-amz-request-id", "XAmzRequestId", "x_amz_request_id"),
        ("detail-type", "DetailType", "detail_type"),
        ("user.signed-up", "UserSignedUp", "user_signed_up"),
        ("HTTPServer", "HTTPServer", "http_server"),
        ("Ünïcode name", "UnicodeName", "unicode_name"),
        ("class", "Class", "class_"),
        ("list", "List", "list_"),
        ("match", "Match", "match_"),
        ("3d", "Model3D", "handle_3_d"),
        ("", "Model", "handle"),
        (EVIL, "XImportOsOsSystemTouchTmpPwned", "x_import_os_os_system_touch_tmp_pwned"),
    ],
)
def test_names_become_identifiers(raw: str, cls: str, func: str) -> None:
    assert (class_name(raw), function_name(raw)) == (cls, func)
    for name in (class_name(raw), function_name(raw)):
        assert name.isidentifier() and name.isascii()
        assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)


def test_unique_names_ignore_case_so_modules_never_share_a_file() -> None:
    taken: set[str] = set()
    assert [unique(n, taken, separator="_") for n in ("order", "Order", "order", "order_2")] == [
        "order",
        "Order_2",
        "order_3",
        "order_2_2",
    ]


@pytest.mark.parametrize(
    "prose",
    [
        'a """ b',
        '"""',
        'ends with a quote"',
        "back\\slash",
        "\\N{BULLET} \\x00 \\u0000",
        "tab\tand\nline",
        "\\",
    ],
)
def test_docstring_text_cannot_close_or_break_its_docstring(prose: str) -> None:
    source = f'def f() -> None:\n    """{docstring_text(prose)}"""\n'
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef) and len(function.body) == 1
    assert ast.get_docstring(function, clean=False) == prose.strip() + (" " if prose.endswith('"') else "")


def test_comment_text_is_one_line() -> None:
    assert comment_text("a\nb\r\nc\x00d", limit=100) == "a b c d"
    assert len(comment_text("x" * 500, limit=20)) == 20


def test_python_literal_is_data_only() -> None:
    value = {"a": [1, 2.5, True, None, EVIL], EVIL: {"nested": ("t", 1)}, "nan": float("nan")}
    text = python_literal(value)
    tree = ast.parse(text, mode="eval")
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert [ast.unparse(call) for call in calls] == ["float('nan')"]  # the only call: a non-finite number
    literal = python_literal({k: v for k, v in value.items() if k != "nan"})
    assert ast.literal_eval(literal) == {"a": [1, 2.5, True, None, EVIL], EVIL: {"nested": ("t", 1)}}
    with pytest.raises(TypeError):
        python_literal(object())
