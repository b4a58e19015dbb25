"""Diagnostic codes of `luoshi import` (LS6xx): what the importer could not read, and what it left to a person.

LS60x: reading the document · LS61x: what the draft leaves open (each also written into the draft as 待定) ·
LS62x: the draft itself.
"""

from __future__ import annotations

from luoshi.diagnostics.codes import Code, Severity

CODES: list[Code] = [
    Code("LS601", "import-unreadable", Severity.ERROR, "无法读取要导入的文件", "the document to import cannot be read"),
    Code("LS602", "import-encoding", Severity.ERROR, "文件既不是 UTF-8 也不是 GB18030 编码", "the document is neither UTF-8 nor GB18030"),
    Code("LS603", "import-format", Severity.ERROR, "不支持的文件格式", "unsupported document format"),
    Code("LS604", "import-empty", Severity.ERROR, "文件中没有可识别的正文", "no text found in the document"),
    Code("LS605", "import-exists", Severity.ERROR, "输出文件已存在", "the output file already exists"),
    Code("LS606", "import-unknown-policy", Severity.ERROR, "没有要比对的政策", "no encoded policy to score against"),
    Code("LS607", "import-no-text-layer", Severity.ERROR, "PDF 没有文字层（扫描件）", "the PDF has no text layer (a scan)"),
    Code("LS608", "import-unknown-parent", Severity.ERROR, "找不到 --parent 指定的上级文件", "the --parent document is neither a file nor a policy of the corpus"),
    Code("LS615", "import-unread-annex", Severity.WARNING, "附件或表格未能读入", "an annex or table the importer could not read"),
    Code("LS610", "import-unknown-unit", Severity.WARNING, "单位不在名录中，已提议新条目", "unit not in the registry; a registry entry is proposed"),
    Code("LS611", "import-no-units", Severity.WARNING, "原文未写明承办单位", "the text names no responsible unit"),
    Code("LS612", "import-unsure-value", Severity.WARNING, "无法确定的日期、时限或数值", "a date, deadline or number the importer could not settle"),
    Code("LS613", "import-no-header", Severity.WARNING, "未识别出文号、发文机关或成文日期", "document number, issuer or date not recognised"),
    Code("LS614", "import-no-structure", Severity.WARNING, "未识别出编号层次", "no numbered structure recognised"),
    Code("LS616", "import-unlinked-parent", Severity.WARNING, "上级文件的措施没有下级措施落实", "a parent measure no measure of the draft carries out"),
    Code("LS617", "import-unsure-link", Severity.WARNING, "按文字相近推定的落实链接", "a 落实 link proposed from similar wording"),
    Code("LS620", "import-invalid-draft", Severity.ERROR, "生成的草稿无法通过语法检查（导入器缺陷）", "the generated draft does not parse (an importer bug)"),
]
