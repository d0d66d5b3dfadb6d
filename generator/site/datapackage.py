"""The open-data files described as a Frictionless Data Package (``data/datapackage.json``).

Every file of ``data/`` and every field of it is declared here with its type; ``index.py`` writes the files and
this description beside them, and the tests validate one against the other with the ``frictionless`` package.
A column added to a file without a line here stops the build (``describe`` raises), so the description never
falls behind the files.
"""
from __future__ import annotations

from ..model.domain import DeadlineKind

# name -> (Frictionless type, description). Lists and mappings are `array` / `object` in JSON; in CSV a list is
# joined with "; " and so is a `string`.
S, INT, N, B, D, A, OBJ = "string", "integer", "number", "boolean", "date", "array", "object"

TASK_FIELDS = {
    "id": (S, "mã ổn định: <mã kế hoạch>/<mã nhiệm vụ>"),
    "plan": (S, "mã kế hoạch"),
    "province": (S, "mã tỉnh"),
    "ref": (S, "số thứ tự như văn bản ghi"),
    "text": (S, "nội dung nhiệm vụ như văn bản ghi"),
    "lead": (A, "cơ quan chủ trì (tên chuẩn)"),
    "support": (A, "cơ quan phối hợp (tên chuẩn)"),
    "lead_written": (A, "cơ quan chủ trì, nguyên văn"),
    "support_written": (A, "cơ quan phối hợp, nguyên văn"),
    "lead_ids": (A, "mã cơ quan chủ trì; null nếu chưa xác định"),
    "support_ids": (A, "mã cơ quan phối hợp; null nếu chưa xác định"),
    "deadline": (S, "thời hạn như văn bản ghi"),
    "due": (D, "ngày hạn, chỉ khi văn bản ấn định"),
    "deadline_kind": (S, ", ".join(DeadlineKind)),
    "output": (S, "sản phẩm như văn bản ghi"),
    "field": (INT, "lĩnh vực PAR INDEX 1-8"),
    "criteria": (A, "mã tiêu chí, tiêu chí thành phần văn bản nêu"),
    "criteria_inferred": (A, "tiêu chí liên quan, suy luận từ từ ngữ của nhiệm vụ (kế hoạch không ghi mã); không phải mã văn bản nêu"),
    "source_lines": (A, "dòng đầu và dòng cuối trong văn bản gốc"),
    "url": (S, "trang và neo hiển thị nhiệm vụ"),
    "status": (OBJ, "tình trạng do người biên tập ghi, kèm bằng chứng"),
    "group": (S, "đề mục của kế hoạch chứa nhiệm vụ"),
    "note": (S, "ô ghi chú hoặc nhận xét của người biên tập"),
    "cites": (A, "mã văn bản được trích dẫn (documents.json)"),
    "milestones": (A, "các mốc khi nhiệm vụ nêu nhiều mốc: {text, deadline, due}"),
}
# CSV only: the role of the task on the listing the file belongs to (generator/site/index.py CSV_COLUMNS)
TASK_CSV_EXTRA = {"role": (S, "vai trò trên danh sách: lead (chủ trì), support (phối hợp), \"lead; support\"; trống nếu danh sách không theo cơ quan"),
                  "via_group": (S, "danh sách theo cơ quan: mã nhóm gộp mà qua đó nhiệm vụ thuộc cơ quan này (\"qua nhóm ...\"; nối bằng \"; \"); "
                                   "trống nếu kế hoạch nêu chính cơ quan, hoặc danh sách không theo cơ quan")}
TASK_CSV_TYPES = {"field": INT, "due": D}       # every other CSV column is text (lists joined with "; ")
TASK_CSV_NOTES = {"source_lines": "dòng đầu-dòng cuối", "status": "trạng thái (state)",
                  "milestones": "mốc: thời hạn (ngày hạn); các mốc nối bằng \"; \""}

ASSIGNMENT_FIELDS = {
    "task": (S, "mã nhiệm vụ (tasks.csv id)"),
    "plan": (S, "mã kế hoạch"),
    "province": (S, "mã tỉnh"),
    "role": (S, "lead (chủ trì) hoặc support (phối hợp)"),
    "agency_id": (S, "mã cơ quan hoặc nhóm; trống nếu chưa xác định"),
    "agency": (S, "tên chuẩn của cơ quan hoặc nhóm"),
    "written": (S, "tên nguyên văn trong kế hoạch"),
    "is_group": (B, "True khi agency là một nhóm cơ quan (\"Các sở, ban, ngành\"), không phải một cơ quan"),
    "via_group": (S, "khi dòng này có vì nhiệm vụ giao cho một nhóm gộp: mã nhóm đó (\"qua nhóm ...\")"),
    "due": (D, "ngày hạn của nhiệm vụ"),
    "url": (S, "trang và neo hiển thị nhiệm vụ"),
}

PLAN_FIELDS = {
    "id": (S, "mã kế hoạch"), "province": (S, "mã tỉnh"), "province_name": (S, "tên tỉnh"),
    "number": (S, "số hiệu"), "type": (S, "loại văn bản"), "title": (S, "trích yếu"), "issued": (D, "ngày ban hành"),
    "issuer": (S, "cơ quan ban hành như văn bản ghi"), "signer": (S, "người ký"), "period": (S, "thời kỳ"),
    "baselines": (A, "điểm xuất phát: {index, component, max, year, score, unit, rank, of, rank_scope, change, note, source_lines}"),
    "objectives": (A, "mục tiêu: {id, text, targets, source_lines}"),
    "task_count": (INT, "số nhiệm vụ"), "url": (S, "trang kế hoạch"), "source_url": (S, "trang văn bản gốc"),
    "source_file": (S, "tệp văn bản gốc trong content/sources/"),
}

SCORE_FIELDS = {
    "province": (S, "mã tỉnh"), "province_name": (S, "tên tỉnh"), "index": (S, "PAR INDEX hoặc SIPAS"),
    "year": (INT, "năm của kết quả"), "value": (N, "kết quả; null nếu chưa có số liệu có nguồn"), "unit": (S, "% hoặc điểm"),
    "rank": (INT, "xếp hạng"), "of": (INT, "trên tổng số"), "rank_scope": (S, "phạm vi xếp hạng"),
    "published": (B, "có số liệu có nguồn"), "note": (S, "ghi chú"),
    "source": (OBJ, "{kind: decision|report|secondary, title, publisher, date, url, where}"),
}

AGENCY_FIELDS = {
    "id": (S, "mã"), "name": (S, "tên chuẩn"), "aliases": (A, "tên khác"), "abbr": (A, "viết tắt"),
    "group": (B, "là nhóm cơ quan"), "province": (S, "chỉ một tỉnh có cơ quan này"), "url": (S, "trang cơ quan"),
    "members": (A, "thành viên của nhóm gộp (mã cơ quan hoặc nhóm)"),
    "written_variants": (A, "cách viết khác (kể cả lỗi đánh máy) các kế hoạch dùng, được quy về cơ quan này: {written, plans}"),
    "valid_from": (D, "có từ ngày (null: trước thời kỳ sổ đăng ký ghi)"), "valid_to": (D, "đến ngày (null: còn)"),
    "successors": (A, "cơ quan kế nhiệm (sắp xếp năm 2025): {id, name, since, basis, note}"),
    "predecessors": (A, "cơ quan tiền thân (sắp xếp năm 2025): {id, name, since, basis, note}"),
}

PROVINCE_FIELDS = {
    "id": (S, "mã đơn vị hành chính cấp tỉnh"), "name": (S, "tên"), "kind": (S, "tỉnh hoặc thành phố"),
    "title": (S, "tên đầy đủ (Tỉnh …, Thành phố …)"),
    "valid_from": (D, "có từ ngày (null: trước thời kỳ sổ đăng ký ghi)"), "valid_to": (D, "đến ngày (null: còn)"),
    "former_names": (A, "tên trước đây: {name, kind, until, basis}"),
    "predecessors": (A, "đơn vị tiền thân: {id, name, title}"), "successors": (A, "đơn vị kế nhiệm: {id, name, title}"),
    "basis": (OBJ, "văn bản nêu thời kỳ và sắp xếp: {id, document, issuer, date, title}"), "note": (S, "ghi chú"),
    "plans": (INT, "số kế hoạch trong cổng"), "url": (S, "trang tỉnh; null nếu chưa có kế hoạch"),
}

DOCUMENT_FIELDS = {
    "id": (S, "mã"), "number": (S, "số hiệu"), "kind": (S, "loại văn bản"), "date": (D, "ngày ban hành"),
    "year": (INT, "năm"), "url": (S, "trang văn bản"),
    "citations": (A, "các lần trích: {plan, line, written, task, ambiguous, merged}"),
}

CRITERIA_PARTS = {
    "fields": {"code": (S, "lĩnh vực 1-8"), "name": (S, "tên"), "url": (S, "trang")},
    "criteria": {"code": (S, "mã tiêu chí"), "name": (S, "tên; null nếu văn bản không nêu"), "parent": (S, "tiêu chí cha"),
                 "field": (S, "lĩnh vực"), "source": (S, "kế hoạch nêu tên"), "source_lines": (A, "dòng"), "url": (S, "trang")},
    "sipas_components": {"code": (S, "mã"), "name": (S, "tên")},
}


def _schema(fields: dict, names: list[str] | None = None, types: dict | None = None) -> dict:
    out = []
    for name in names if names is not None else list(fields):
        if name not in fields:
            raise KeyError(f'data package: the column "{name}" is written but not described in generator/site/datapackage.py')
        kind, description = fields[name]
        if types is not None:
            kind = types.get(name, S)
        field = {"name": name, "type": kind, "description": description}
        if name == "field" and kind == INT:
            field["constraints"] = {"minimum": 1, "maximum": 8}
        out.append(field)
    return {"fields": out}


def _compressed(resource: dict) -> dict:
    """A file written gzip-compressed (listing.Downloads above WHOLE_FILES_MAX_TASKS tasks) says so."""
    return {**resource, "compression": "gz"} if resource["path"].endswith(".gz") else resource


def _json_resource(name: str, path: str, fields: dict, sample: dict | None, prop: str | None = None) -> dict:
    names = list(sample) if sample is not None else list(fields)
    resource = {"name": name, "path": path, "type": "table", "format": "json", "mediatype": "application/json",
                "encoding": "utf-8", "schema": _schema(fields, names)}
    if prop:
        resource["dialect"] = {"json": {"property": prop}}
    return _compressed(resource)


def describe(task_columns: list[str], assignment_columns: list[str], samples: dict[str, dict | None],
             paths: dict | None = None) -> dict:
    """The descriptor of ``data/``. ``samples``: one record of each JSON file (its keys, in order, are the fields
    written; a key not described here raises). ``paths``: where the task files are (listing.Downloads, relative to
    data/): ``tasks_json``, ``tasks_csv`` (None when only the provinces' CSVs are written), ``assignments``, ``plans``, ``documents``,
    ``provinces`` (the provinces' CSVs: described one resource each when there is no tasks.csv)."""
    paths = paths or {"tasks_json": "tasks.json", "tasks_csv": "tasks.csv", "assignments": "assignments.csv", "provinces": []}
    csv_dialect = {"csv": {"delimiter": ",", "lineTerminator": "\n", "header": True}}
    task_csv_schema = _schema({**{k: (S, TASK_CSV_NOTES.get(k, v[1])) for k, v in TASK_FIELDS.items()}, **TASK_CSV_EXTRA},
                              task_columns, TASK_CSV_TYPES)

    def task_csv(name: str, path: str) -> dict:
        return {"name": name, "path": path, "type": "table", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
                "dialect": csv_dialect, "schema": task_csv_schema}
    if paths["tasks_csv"]:
        task_csvs = [task_csv("tasks-csv", paths["tasks_csv"])]
    else:       # csv/tinh/<province>.csv(.gz) -> tasks-csv-<province>
        task_csvs = [_compressed(task_csv("tasks-csv-" + path.rsplit("/", 1)[-1].split(".", 1)[0], path)) for path in paths["provinces"]]
    return {
        "name": "ke-hoach-cchc-cap-tinh",
        "title": "Kế hoạch CCHC cấp tỉnh: nhiệm vụ, cơ quan, thời hạn, điểm số",
        "description": "Nhiệm vụ trong các kế hoạch cải thiện PAR INDEX, SIPAS của các tỉnh, mỗi dữ kiện gắn với dòng văn bản gốc; "
                       "kết quả PAR INDEX, SIPAS sau kế hoạch, mỗi con số kèm nguồn.",
        "licenses": [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/", "title": "CC0 1.0"}],
        "resources": [
            _json_resource("tasks-json", paths["tasks_json"], TASK_FIELDS, samples.get("tasks")),
            *task_csvs,
            _compressed({"name": "assignments-csv", "path": paths["assignments"], "type": "table", "format": "csv", "mediatype": "text/csv",
                         "encoding": "utf-8-sig", "dialect": csv_dialect,
                         "schema": _schema(ASSIGNMENT_FIELDS, assignment_columns, {k: v[0] for k, v in ASSIGNMENT_FIELDS.items()})}),
            _json_resource("plans", paths.get("plans", "plans.json"), PLAN_FIELDS, samples.get("plans")),
            _json_resource("scores", "scores.json", SCORE_FIELDS, samples.get("scores")),
            _json_resource("agencies", "agencies.json", AGENCY_FIELDS, samples.get("agencies")),
            _json_resource("provinces", "provinces.json", PROVINCE_FIELDS, samples.get("provinces")),
            _json_resource("documents", paths.get("documents", "documents.json"), DOCUMENT_FIELDS, samples.get("documents")),
        ] + [_json_resource(f"criteria-{part.replace('_', '-')}", "criteria.json", fields, samples.get(f"criteria.{part}"), prop=part)
             for part, fields in CRITERIA_PARTS.items()],
    }
