"""Synthetic national corpus for measuring the portal at scale (issue 7). Not part of the build pipeline.

    python bench/scale.py --out DIR --provinces N --plans-per-province K --tasks-per-plan T --seed S

writes, in the project's content format (content/README.md):

    DIR/plans/<plan-id>.yml       K plans per province, about T tasks each (T varies by ±20 % between plans)
    DIR/sources/<plan-id>.txt     a synthetic plan text: every task, group, objective and baseline points at its line
    DIR/registry/...              the project's real registries, plus N synthetic provinces in provinces.yml

Every plan says in its title and source note that it is synthetic: the figures, names of signers and task
wording are generated, never taken from a real plan. Province names are real (so that text lengths are
realistic); their ids start with ``mau-`` ("sample") so they cannot be confused with the real content.
Build a portal from it with ``python -m generator --content DIR build --docs D --site S``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import yaml
from slugify import slugify

ROOT = Path(__file__).resolve().parent.parent

# The 63 provinces and centrally-run cities before the 2025 merger (names only; used for realistic text).
PROVINCE_NAMES = [
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang",
    "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau",
    "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam",
    "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]

# Lead agencies, weighted roughly as in the five real plans (Sở Nội vụ leads most CCHC tasks). Names are
# written the ways the real plans write them (canonical names, aliases, abbreviations), so that the
# registry's name resolution is exercised as it is by real content.
LEADS = [
    ("Sở Nội vụ", 30), ("SNV", 2), ("Văn phòng UBND tỉnh", 10), ("Văn phòng Ủy ban nhân dân tỉnh", 2),
    ("Sở Tư pháp", 8), ("Sở Thông tin và Truyền thông", 9), ("Sở TT&TT", 2), ("Sở Tài chính", 6),
    ("Sở Kế hoạch và Đầu tư", 5), ("Sở KH&ĐT", 1), ("Trung tâm Phục vụ hành chính công tỉnh", 4),
    ("Sở Khoa học và Công nghệ", 2), ("Sở Giáo dục và Đào tạo", 1), ("Sở Y tế", 1), ("Sở Xây dựng", 1),
    ("Sở Tài nguyên và Môi trường", 1), ("Thanh tra tỉnh", 2), ("Công an tỉnh", 1), ("Bưu điện tỉnh", 1),
    ("Các sở, ban, ngành", 6), ("UBND cấp huyện", 3), ("UBND các huyện, thị xã, thành phố", 2),
    ("Các sở, ngành, địa phương", 1), ("Đài Phát thanh và Truyền hình tỉnh", 1),
]
SUPPORTS = [
    ("Các sở, ban, ngành", 20), ("UBND các huyện, thị xã, thành phố", 14), ("UBND cấp xã", 5), ("Sở Nội vụ", 8),
    ("Văn phòng UBND tỉnh", 6), ("Sở Tài chính", 5), ("Sở Thông tin và Truyền thông", 5), ("Sở Tư pháp", 4),
    ("Các cơ quan có liên quan", 8), ("Sở Kế hoạch và Đầu tư", 3), ("Cục Thống kê tỉnh", 1),
    ("Kho bạc Nhà nước tỉnh", 1), ("Cục Thuế tỉnh", 1), ("Bưu điện tỉnh", 1),
]
UNRESOLVED = ["Tổ công tác cải cách hành chính của tỉnh", "Hội đồng thẩm định đề án", "Ban Chỉ đạo cải cách hành chính tỉnh"]

VERBS = ["Tham mưu UBND tỉnh ban hành", "Tổ chức triển khai", "Rà soát, đánh giá", "Kiểm tra việc thực hiện",
         "Đẩy mạnh", "Tiếp tục thực hiện có hiệu quả", "Xây dựng và trình phê duyệt", "Hướng dẫn, đôn đốc",
         "Theo dõi, tổng hợp", "Nâng cao chất lượng", "Tuyên truyền, phổ biến", "Chủ trì xây dựng"]
OBJECTS = ["kế hoạch cải cách hành chính năm", "kế hoạch kiểm tra công tác cải cách hành chính",
           "danh mục thủ tục hành chính được chuẩn hóa", "quy trình nội bộ giải quyết thủ tục hành chính",
           "cơ chế một cửa, một cửa liên thông", "dịch vụ công trực tuyến toàn trình",
           "vị trí việc làm và cơ cấu ngạch công chức", "đề án tinh giản biên chế",
           "cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập", "hệ thống quản lý văn bản và điều hành",
           "Cổng dịch vụ công của tỉnh", "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
           "Chỉ số cải cách hành chính (PAR INDEX)", "văn bản quy phạm pháp luật của tỉnh",
           "công tác theo dõi thi hành pháp luật", "hồ sơ công việc điện tử", "kho dữ liệu số hóa kết quả giải quyết thủ tục hành chính",
           "đội ngũ cán bộ, công chức, viên chức làm công tác cải cách hành chính"]
QUALIFIERS = ["theo đúng quy định", "bảo đảm chất lượng, đúng thời hạn", "trên địa bàn tỉnh",
              "tại các cơ quan, đơn vị, địa phương", "gắn với đánh giá, xếp loại cuối năm",
              "theo hướng dẫn của Bộ Nội vụ", "và báo cáo kết quả về UBND tỉnh", "nhằm nâng cao sự hài lòng của người dân, doanh nghiệp",
              "phấn đấu tỷ lệ đạt trên 90%", "kịp thời tháo gỡ khó khăn, vướng mắc"]
CITED = ["Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ", "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ",
         "Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ", "Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ",
         "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ"]
OUTPUTS = ["Kế hoạch", "Báo cáo", "Quyết định", "Văn bản hướng dẫn", "Đề án", "Báo cáo kết quả kiểm tra", None, None]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
QUARTERS = ["I", "II", "III", "IV"]


def deadline_text(rng: random.Random, year: int) -> str | None:
    kind = rng.random()
    if kind < 0.30:
        return f"Quý {rng.choice(QUARTERS)}/{year}"
    if kind < 0.45:
        return f"Năm {year}"
    if kind < 0.55:
        return f"Trước ngày {rng.randint(1, 28)}/{rng.randint(4, 12)}/{year}"    # after the plan (issued by March)
    if kind < 0.65:
        return "Thường xuyên"
    if kind < 0.72:
        return "Hằng năm"
    if kind < 0.76:
        return "Sau khi có hướng dẫn của Trung ương"
    if kind < 0.82:
        return f"{year}-2025" if year < 2025 else "Năm 2025"
    return None


def weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights)[0]


def task_text(rng: random.Random, province: str, year: int) -> str:
    parts = [rng.choice(VERBS), rng.choice(OBJECTS)]
    if rng.random() < 0.5:
        parts.append(f"năm {year}")
    parts.append(rng.choice(QUALIFIERS))
    text = " ".join(parts)
    if rng.random() < 0.3:
        text += f"; triển khai {rng.choice(CITED)}"
    if rng.random() < 0.4:
        text += f"; {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)} của tỉnh {province}"
    return text + "."


class Corpus:
    def __init__(self, out: Path, seed: int):
        self.out = out
        self.rng = random.Random(seed)
        registry = yaml.safe_load((ROOT / "content" / "registry" / "criteria" / "par-index-2020.yml").read_text())
        self.criteria: dict[str, list[str]] = {}
        for c in registry["criteria"]:
            self.criteria.setdefault(c["code"].split(".")[0], []).append(c["code"])

    def plan(self, province_id: str, province_name: str, number: int, year: int, n_tasks: int) -> tuple[dict, list[str]]:
        rng = self.rng
        plan_number = f"{number}/KH-UBND"
        plan_id = f"{province_id}-{number}-kh-ubnd-{year}"
        lines: list[str] = []

        def line(text: str) -> int:
            lines.append(text)
            return len(lines)

        line(f"ỦY BAN NHÂN DÂN TỈNH {province_name.upper()}")
        l_number = line(f"Số: {plan_number}")
        issued = dt.date(year, rng.randint(1, 3), rng.randint(1, 28))
        l_issued = line(f"{province_name}, ngày {issued.day} tháng {issued.month} năm {year}")
        line("KẾ HOẠCH")
        title = f"Cải cách hành chính nhà nước năm {year} (dữ liệu tổng hợp để đo hiệu năng)"
        l_title = line(title)
        line("I. MỤC ĐÍCH, YÊU CẦU")
        baselines = []
        score = round(rng.uniform(78, 92), 2)
        l_base = line(f"Năm {year - 1}, Chỉ số cải cách hành chính (PAR INDEX) của tỉnh đạt {str(score).replace('.', ',')} điểm, xếp thứ {rng.randint(1, 63)}/63.")
        baselines.append({"index": "PAR INDEX", "year": year - 1, "score": score, "unit": "điểm", "rank": int(lines[-1].split("thứ ")[1].split("/")[0]),
                          "of": 63, "change": None, "lines": [l_base, l_base]})
        target = rng.choice([80, 85, 90, 95])
        l_obj = line(f"Phấn đấu tối thiểu {target}% hồ sơ thủ tục hành chính được giải quyết trực tuyến trong năm {year}.")
        objectives = [{"id": "muc-tieu-1", "text": lines[-1], "targets": [{"value": target, "unit": "%", "year": year, "metric": "hồ sơ giải quyết trực tuyến"}],
                       "lines": [l_obj, l_obj]}]
        line("II. NHIỆM VỤ TRỌNG TÂM")
        first_task_line = len(lines) + 1
        groups, tasks = [], []
        n_groups = 8
        per_group = [n_tasks // n_groups + (1 if i < n_tasks % n_groups else 0) for i in range(n_groups)]
        for g, count in enumerate(per_group, start=1):
            field = str(g)
            l_group = line(f"{g}. {['Công tác chỉ đạo, điều hành', 'Cải cách thể chế', 'Cải cách thủ tục hành chính', 'Cải cách tổ chức bộ máy', 'Cải cách chế độ công vụ', 'Cải cách tài chính công', 'Xây dựng chính quyền điện tử, chính quyền số', 'Nâng cao chất lượng phục vụ người dân, doanh nghiệp'][g - 1]}")
            group_id = f"ii-{g}"
            groups.append({"id": group_id, "ref": f"II.{g}", "title": lines[-1].split(". ", 1)[1], "lines": [l_group, l_group]})
            for k in range(1, count + 1):
                text = task_text(rng, province_name, year)
                lead = [weighted(rng, LEADS)] if rng.random() < 0.93 else []
                if rng.random() < 0.08:
                    lead.append(weighted(rng, LEADS))
                support = []
                for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
                    name = weighted(rng, SUPPORTS)
                    if name not in support and name not in lead:
                        support.append(name)
                if rng.random() < 0.01:
                    support.append({"name": rng.choice(UNRESOLVED), "unresolved": True})
                deadline = deadline_text(rng, year)
                output = rng.choice(OUTPUTS)
                crits = []
                if rng.random() < 0.45 and self.criteria.get(field):
                    crits = sorted(set(rng.sample(self.criteria[field], min(len(self.criteria[field]), rng.choice([1, 1, 2])))),
                                   key=lambda c: tuple(int(x) for x in c.split(".")))
                written_lead = ", ".join(x if isinstance(x, str) else x["name"] for x in lead) or "không ghi"
                written_support = ", ".join(x if isinstance(x, str) else x["name"] for x in support) or "không ghi"
                first = line(f"- {text}")
                last = line(f"  Chủ trì: {written_lead}. Phối hợp: {written_support}. Thời gian: {deadline or 'không ghi'}. Sản phẩm: {output or 'không ghi'}.")
                tasks.append({"id": f"ii-{g}-{k}", "ref": f"II.{g}-{k}", "group": group_id, "text": text, "lead": lead,
                              "support": support, "deadline": deadline, "output": output,
                              "field": int(field) if rng.random() < 0.85 else None if not crits else int(field),
                              "criteria": crits, "note": None, "lines": [first, last], "status": None})
        last_task_line = len(lines)
        line("III. TỔ CHỨC THỰC HIỆN")
        line("Các sở, ban, ngành, UBND các huyện, thị xã, thành phố căn cứ Kế hoạch này tổ chức thực hiện.")
        l_signer = line("CHỦ TỊCH")
        data = {
            "id": plan_id, "province": province_id, "number": plan_number, "type": "Kế hoạch", "title": title,
            "issued": issued, "issuer": f"UBND tỉnh {province_name}", "signer": None, "period": f"năm {year}",
            "source": {"file": f"{plan_id}.txt", "lines": {"number": l_number, "issued": l_issued, "title": l_title},
                       "note": "Synthetic plan written by bench/scale.py for benchmarks; not a real document."},
            "task_sections": [[first_task_line, last_task_line]],
            "baselines": baselines, "objectives": objectives, "groups": groups, "tasks": tasks, "skips": [],
        }
        del l_signer
        return data, lines


def write_corpus(out: Path, provinces: int, plans_per_province: int, tasks_per_plan: int, seed: int = 1,
                 progress=None) -> dict:
    """Write a synthetic corpus into ``out`` (created or overwritten); return its counts."""
    if out.resolve() == (ROOT / "content").resolve() or (ROOT / "content").resolve() in out.resolve().parents:
        raise SystemExit("refusing to write a synthetic corpus into content/: choose a directory outside it")
    for sub in ("plans", "sources", "registry"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "plans").mkdir(parents=True)
    (out / "sources").mkdir()
    shutil.copytree(ROOT / "content" / "registry", out / "registry")
    registry = yaml.safe_load((ROOT / "content" / "registry" / "provinces.yml").read_text())   # keeps its sources
    real = registry["provinces"]
    synthetic = []
    for i in range(provinces):
        name = PROVINCE_NAMES[i % len(PROVINCE_NAMES)]
        round_ = i // len(PROVINCE_NAMES)
        pid = f"mau-{slugify(name)}" + (f"-{round_ + 1}" if round_ else "")
        synthetic.append({"id": pid, "name": name + (f" ({round_ + 1})" if round_ else ""), "successor": None})
    dump = lambda value, path: path.write_text(
        yaml.dump(value, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False, width=10_000),
        encoding="utf-8")
    dump(dict(registry, provinces=real + synthetic), out / "registry" / "provinces.yml")
    corpus = Corpus(out, seed)
    n_plans = n_tasks = 0
    years = [2021, 2022, 2023, 2024, 2025]
    for pi, prov in enumerate(synthetic):
        for k in range(plans_per_province):
            year = years[k % len(years)]
            number = 100 + 37 * k + pi
            n = max(1, round(tasks_per_plan * corpus.rng.uniform(0.8, 1.2)))
            data, lines = corpus.plan(prov["id"], prov["name"], number, year, n)
            dump(data, out / "plans" / f"{data['id']}.yml")
            (out / "sources" / data["source"]["file"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
            n_plans += 1
            n_tasks += len(data["tasks"])
        if progress:
            progress(pi + 1, len(synthetic), n_plans, n_tasks)
    return {"provinces": len(synthetic), "plans": n_plans, "tasks": n_tasks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/scale.py", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="directory to write (outside content/)")
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--plans-per-province", type=int, default=3)
    parser.add_argument("--tasks-per-plan", type=int, default=80)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if min(args.provinces, args.plans_per_province, args.tasks_per_plan) < 1:
        parser.error("--provinces, --plans-per-province and --tasks-per-plan must be at least 1")

    def show(i, n, plans, tasks):
        if sys.stderr.isatty() or i == n:
            print(f"\r{i}/{n} provinces, {plans} plans, {tasks} tasks", end="\n" if i == n else "", file=sys.stderr, flush=True)
    counts = write_corpus(args.out, args.provinces, args.plans_per_province, args.tasks_per_plan, args.seed, show)
    print(f"wrote {counts['plans']} plans, {counts['tasks']} tasks of {counts['provinces']} provinces into {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
