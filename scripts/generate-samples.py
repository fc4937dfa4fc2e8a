#!/usr/bin/env python3
"""Generate the sample data of 青年路社区 (Youth Road Community) for Covenant.

Usage (from the repository root; Python 3.8+, standard library only):

    python3 scripts/generate-samples.py            # writes into samples/
    python3 scripts/generate-samples.py --out DIR  # writes into DIR/ instead
    python3 scripts/generate-samples.py --quiet    # no scenario list on stdout

The output is deterministic (a fixed seed, no clock, no environment): running the script twice
gives byte-identical files. It writes

  samples/roster.csv                        the roster: ~1,930 households in 28 buildings, 6 grids
  samples/incidents/2026-q3.ndjson          ~930 incidents, 2026-07-01 … 2026-09-30 (reports,
                                            inspections, deeds), with ~1 % invalid on purpose
  samples/incidents/2026-q3.yaml            20 of those incidents as multi-document YAML
  samples/incidents/2026-q3.csv             30 of those incidents as CSV (`facts.NAME` columns)
  samples/incidents/history-2026-q2.ndjson  ~80 earlier incidents (2026-04-01 … 2026-06-30) for
                                            `covenant eval --history`

and leaves samples/incidents/one-incident.yaml alone. They match rules/zh/laoshiqu.yaml:

    covenant eval -r rules/zh samples/incidents/2026-q3.ndjson --roster samples/roster.csv \
        --history samples/incidents/history-2026-q2.ndjson --format table

The community (fictional; all names are made up):
  青年北院 buildings 1–16   six-floor walk-ups, 4 units, 3 flats a floor   (H-12-2-301 = bldg 12, unit 2, flat 301)
  纺机宿舍 buildings 17–24  five-floor walk-ups, 3 units, 2 flats a floor
  青年南苑 buildings 25–28  eighteen-floor towers with lifts (high-rise), 2 units, 4 flats a floor
  grids: G01 = 1–4 + 17–18, G02 = 5–8 + 19–20, G03 = 9–12 + 21–22, G04 = 13–16 + 23–24,
         G05 = 25–26, G06 = 27–28; about 2 % of flats are vacant and not listed.

Scenarios built in on purpose (the script prints each one with the incident ids it produced):
  * repeat offenders whose ladders reach steps 2, 3 and 4 (dog leash → dog authority; e-bike
    corridor charging → fire brigade), some only with the Q2 history;
  * a dog leash offence on day 1 (history), day 80 and day 100 → offences 2 and 2 (day 1 has
    left the 90-day window by day 100);
  * second offences exactly 90 days after the first (outside the window: offence 1) and one
    second earlier (inside: offence 2);
  * duplicates inside dedupe spans (several neighbours reporting one party, two workers
    reporting one charging bike; one report exactly at the end of the 2-hour span, one just after);
  * rules that change on a date: e-bikes in lifts from 2026-07-01 (a late report of a June event
    breaches nothing), new kiosk hours from 2026-08-01, the chat-group rule from 2026-09-01;
  * quiet hours across midnight, renovation at 12:30 on a weekday and on a Saturday morning;
  * building filters (towers vs walk-ups), the playground zone and the guide-dog exemption,
    the renovation-storage exemption (and a pile kept too long for it), the mobility scooter;
  * high-altitude throwing with and without an identified household (referred to the police);
  * inspections (monthly stairwell checks, weekly summer shed checks, facade patrols, kiosk
    audits) — mostly compliant; deeds with credits (volunteer hours, micro-wishes, meetings…);
  * invalid records: missing evidence, a fact of the wrong type, a missing fact, an unknown zone,
    occurred after reported, an unknown category, a timestamp without an offset, an unknown
    building (conditions read the roster), and one malformed JSON line.
"""

import argparse
import csv
import io
import json
import os
import random
import re
from datetime import date, datetime, timedelta, timezone

SEED = 20260701
TZ = timezone(timedelta(hours=8))

# --------------------------------------------------------------------------------------------
# Roster
# --------------------------------------------------------------------------------------------

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵")
GIVEN = ("建国 建华 国强 志刚 秀英 桂英 秀兰 玉兰 淑珍 丽华 海燕 红梅 晓东 晓明 文博 子涵 雨轩 欣怡 浩然 "
         "梓萱 思远 德明 福生 春花 秋菊 冬梅 金凤 宝山 永康 立新 卫东 卫红 爱民 振华 兰英 凤英 伟 敏 静 "
         "磊 军 洋 勇 艳 杰 涛 明 超 霞 平 刚 芳 娟 强 丹 华 萍 鹏 辉 玲 瑞 琳 晨 阳 宁 鑫 帆 婷").split()

GRIDS = {
    "G01": [1, 2, 3, 4, 17, 18],
    "G02": [5, 6, 7, 8, 19, 20],
    "G03": [9, 10, 11, 12, 21, 22],
    "G04": [13, 14, 15, 16, 23, 24],
    "G05": [25, 26],
    "G06": [27, 28],
}
GRID_OF = {b: g for g, bs in GRIDS.items() for b in bs}


def building_kind(b):
    if b <= 16:
        return "walkup"      # 青年北院
    if b <= 24:
        return "fangji"      # 纺机宿舍
    return "tower"           # 青年南苑


def layout(b):
    """(floors, units, flats a floor)."""
    return {"walkup": (6, 4, 3), "fangji": (5, 3, 2), "tower": (18, 2, 4)}[building_kind(b)]


# Households the scenarios need, with the attributes they need.
FORCED = {
    "H-3-1-502": dict(has_dog=True, dog_size="medium"),     # guide dog (exemption)
    "H-5-3-402": dict(has_dog=True, dog_size="large"),      # dog leash, four times
    "H-9-1-201": dict(has_dog=True, dog_size="small"),      # day 1 / 80 / 100
    "H-14-2-602": dict(has_dog=True, dog_size="medium"),    # exactly 90 days apart
    "H-18-1-301": dict(has_dog=True, dog_size="small"),     # 90 days less one second
    "H-27-1-903": dict(has_dog=True, dog_size="large"),     # tower dog in the lift
    "H-22-2-202": dict(has_dog=True, dog_size="medium"),    # registration follow-up
    "H-11-4-503": dict(has_ebike=True),                     # corridor charging with Q2 history
    "H-16-1-102": dict(has_ebike=True),                     # corridor charging three times in Q3
    "H-26-2-1504": dict(has_ebike=True),                    # e-bike in the lift
    "H-7-2-101": dict(has_ebike=True),                      # mobility scooter (exemption)
    "H-12-2-301": dict(has_ebike=True),                     # samples/incidents/one-incident.yaml
    "H-25-1-1203": dict(minors=False),                      # late parties
    "H-20-3-402": dict(),                                   # renovation
    "H-10-1-601": dict(),                                   # square-dance team leader
}


def make_roster(rng):
    households = []
    for grid, blist in GRIDS.items():
        for b in blist:
            floors, units, flats = layout(b)
            kind = building_kind(b)
            for u in range(1, units + 1):
                for f in range(1, floors + 1):
                    for n in range(1, flats + 1):
                        hid = f"H-{b}-{u}-{f}{n:02d}"
                        if hid not in FORCED and rng.random() < 0.02:
                            continue  # vacant
                        has_dog = rng.random() < {"walkup": 0.12, "fangji": 0.14, "tower": 0.09}[kind]
                        dog_size = rng.choice(["toy", "small", "small", "medium", "medium", "large"]) if has_dog else ""
                        has_ebike = rng.random() < {"walkup": 0.45, "fangji": 0.5, "tower": 0.3}[kind]
                        r = rng.random()
                        minors = "" if r < 0.05 else ("true" if r < 0.33 else "false")
                        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                        h = dict(household=hid, grid=grid, building=str(b), unit=str(u), name=name,
                                 has_dog=has_dog, has_ebike=has_ebike, dog_size=dog_size, minors=minors,
                                 floor=f, kind=kind)
                        for k, v in FORCED.get(hid, {}).items():
                            h[k] = ("true" if v else "false") if k == "minors" else v
                        households.append(h)
    return households


def write_roster(path, households):
    cols = ["household", "grid", "building", "unit", "name", "has_dog", "has_ebike", "dog_size", "minors",
            "building.high_rise", "building.has_elevator", "building.walkup"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for h in households:
        tower = h["kind"] == "tower"
        w.writerow([h["household"], h["grid"], h["building"], h["unit"], h["name"],
                    str(h["has_dog"]).lower(), str(h["has_ebike"]).lower(), h["dog_size"], h["minors"],
                    str(tower).lower(), str(tower).lower(), str(not tower).lower()])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


# --------------------------------------------------------------------------------------------
# Incidents
# --------------------------------------------------------------------------------------------

WORKERS = {g: [f"W-{i * 2 + 1:02d}", f"W-{i * 2 + 2:02d}"] for i, g in enumerate(GRIDS)}
KIOSKS = {"G01": "K1", "G02": "K2", "G03": "K3", "G04": "K3", "G05": "K4", "G06": "K4"}
SHEDS = [("S1", "G02"), ("S2", "G04"), ("S3", "G05")]


def ts(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S+08:00")


def at(d, hh, mm=0, ss=0):
    return datetime(d.year, d.month, d.day, hh, mm, ss, tzinfo=TZ)


class Builder:
    def __init__(self, rng, roster, prefix):
        self.rng = rng
        self.roster = {h["household"]: h for h in roster}
        self.records = []
        self.prefix = prefix
        self.scenarios = {}       # name -> [record]
        self.ref = 2000

    def evidence(self, *types):
        out = []
        for t in types:
            self.ref += self.rng.randint(1, 9)
            ext = {"photo": "IMG_{}.jpg", "video": "VID_{}.mp4", "recording": "REC_{}.m4a", "camera_clip": "CAM_{}.mp4",
                   "screenshot": "SCR_{}.png", "qr_bag": "QR{}", "blocker_log": "LIFT-LOG-{}",
                   "witness_statement": "WS-{}", "worker_observation": "OBS-{}", "complaint": "TS-{}"}[t]
            out.append({"type": t, "ref": ext.format(self.ref)})
        return out

    def add(self, occurred, category, facts, *, kind="report", household=None, grid=None, building=None, unit=None,
            zone=None, reporter=None, evidence=(), delay=None, note=None, scenario=None):
        h = self.roster.get(household) if household else None
        if h:
            grid = grid or h["grid"]
            building = building or h["building"]
            unit = unit or h["unit"]
        if reporter is None:
            reporter = {"id": self.rng.choice(WORKERS.get(grid or "G01", WORKERS["G01"])), "role": "grid_worker"}
        if delay is None:
            delay = timedelta(minutes=self.rng.randint(6, 90)) if kind != "deed" else timedelta(hours=self.rng.randint(2, 48))
        rec = {"kind": kind, "occurred_at": ts(occurred), "reported_at": ts(occurred + delay),
               "reporter": reporter}
        where = {}
        for k, v in (("grid", grid), ("building", building), ("unit", unit), ("zone", zone)):
            if v is not None:
                where[k] = v
        if where:
            rec["where"] = where
        if household:
            rec["household"] = household
        rec["category"] = category
        rec["facts"] = facts
        if evidence:
            rec["evidence"] = list(evidence)
        if note:
            rec["note"] = note
        rec["_sort"] = (occurred + delay, occurred)
        self.records.append(rec)
        if scenario:
            self.scenarios.setdefault(scenario, []).append(rec)
        return rec

    def assign_ids(self, start):
        self.records.sort(key=lambda r: (r["_sort"], r["category"], r.get("household", "")))
        for i, r in enumerate(self.records):
            r["id"] = f"{self.prefix}-{start + i:06d}"
        return self.records


def pick(rng, households, pred, pool=None):
    cands = [h for h in households if pred(h)]
    if pool:
        cands = cands[:pool]
    return rng.choice(cands)["household"]


def random_day(rng, start, end):
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def ordered(d):
    """The record as written: envelope fields first, in the contract's order."""
    keys = ["id", "kind", "occurred_at", "reported_at", "reporter", "where", "household", "category", "facts",
            "evidence", "note"]
    return {k: d[k] for k in keys if k in d}


# ------------------------------------------------------------------ the quarter's scenarios

def build_q3(rng, roster):
    B = Builder(rng, roster, "QNL-2026")
    start, end = date(2026, 7, 1), date(2026, 9, 30)
    hs = roster
    dog_pool = [h for h in hs if h["has_dog"] and h["household"] not in FORCED]
    ebike_pool = [h for h in hs if h["has_ebike"] and h["household"] not in FORCED]
    rng.shuffle(dog_pool)
    rng.shuffle(ebike_pool)
    frequent_dogs = dog_pool[:14]       # a few households keep letting their dogs off the leash
    frequent_ebikes = ebike_pool[:24]

    def worker(grid):
        return {"id": rng.choice(WORKERS[grid]), "role": "grid_worker"}

    def resident(hid=None):
        return {"id": f"R-{rng.randint(100, 999)}", "role": "resident"}

    # ---------------- Dogs ----------------
    # Scripted: H-5-3-402 lets its large dog off the leash four times (steps 1, 2, 3, then the dog authority).
    for i, d in enumerate([date(2026, 7, 2), date(2026, 7, 20), date(2026, 8, 15), date(2026, 9, 10)]):
        B.add(at(d, 7, 10 + i * 5), "dog", {"location": "green", "leashed": False, "dog_size": "large"},
              household="H-5-3-402", zone="green", evidence=B.evidence("photo"), scenario="dog leash ×4 → dog authority")
    # Day 1 (in the Q2 history, 2026-05-10), day 80 and day 100 → offences 2 and 2.
    d1 = date(2026, 5, 10)
    for day in (80, 100):
        d = d1 + timedelta(days=day - 1)
        B.add(at(d, 19, 40), "dog", {"location": "road", "leashed": False, "dog_size": "small"},
              household="H-9-1-201", zone="road", evidence=B.evidence("video"),
              scenario="dog leash day 1 (history) / day 80 / day 100")
    # Exactly 90 days apart → the first has left the window: offence 1 again.
    B.add(at(date(2026, 7, 1), 8, 0, 0), "dog", {"location": "road", "leashed": True, "leash_length_m": 3.0, "dog_size": "medium"},
          household="H-14-2-602", zone="road", evidence=B.evidence("photo"), scenario="second offence exactly 90 days later")
    B.add(at(date(2026, 9, 29), 8, 0, 0), "dog", {"location": "road", "leashed": False, "dog_size": "medium"},
          household="H-14-2-602", zone="road", evidence=B.evidence("photo"), scenario="second offence exactly 90 days later")
    # One second less than 90 days → still inside: offence 2.
    B.add(at(date(2026, 7, 2), 8, 0, 0), "dog", {"location": "green", "leashed": True, "handler_minor": True},
          household="H-18-1-301", zone="green", evidence=B.evidence("witness_statement", "witness_statement"),
          scenario="second offence 90 days less one second later")
    B.add(at(date(2026, 9, 30), 7, 59, 59), "dog", {"location": "green", "leashed": False},
          household="H-18-1-301", zone="green", evidence=B.evidence("photo"),
          scenario="second offence 90 days less one second later")
    # Guide dog in the playground: exempt; another dog there is not.
    B.add(at(date(2026, 7, 18), 16, 20), "dog", {"location": "playground", "leashed": True, "leash_length_m": 1.2, "dog_size": "medium"},
          household="H-3-1-502", zone="playground", evidence=B.evidence("photo"), reporter=resident(),
          scenario="guide dog in the playground (exempt)")
    for _ in range(3):
        h = rng.choice(dog_pool)["household"]
        B.add(at(random_day(rng, start, end), rng.choice([9, 10, 16, 17]), rng.randint(0, 59)), "dog",
              {"location": "playground", "leashed": True, "leash_length_m": 1.5}, household=h, zone="playground",
              evidence=B.evidence("photo"), reporter=resident(), scenario="dog in the playground")
    # Tower lift: a large dog unmuzzled on a long leash (violation), then muzzled (fine).
    B.add(at(date(2026, 7, 23), 8, 12), "dog", {"location": "lift", "leashed": True, "leash_length_m": 1.5, "dog_size": "large", "muzzled": False},
          household="H-27-1-903", zone="lift", evidence=B.evidence("camera_clip"),
          reporter={"id": "P-03", "role": "property_staff"}, scenario="dog in a tower lift")
    B.add(at(date(2026, 8, 6), 8, 5), "dog", {"location": "lift", "leashed": True, "leash_length_m": 1.5, "dog_size": "large", "muzzled": True},
          household="H-27-1-903", zone="lift", evidence=B.evidence("camera_clip"),
          reporter={"id": "P-03", "role": "property_staff"}, scenario="dog in a tower lift")
    # Two residents report the same off-leash walk 20 minutes apart → the second is a duplicate.
    h = frequent_dogs[0]["household"]
    B.add(at(date(2026, 8, 3), 20, 5), "dog", {"location": "square", "leashed": False}, household=h, zone="square",
          evidence=B.evidence("photo"), reporter=resident(), scenario="same dog walk reported twice (dedupe 1h)")
    B.add(at(date(2026, 8, 3), 20, 25), "dog", {"location": "square", "leashed": False}, household=h, zone="square",
          evidence=B.evidence("photo"), reporter=resident(), scenario="same dog walk reported twice (dedupe 1h)")
    # Background: off-leash, long leashes, fouling, and fine walks.
    for _ in range(30):
        hh = rng.choice(frequent_dogs if rng.random() < 0.6 else dog_pool)
        d = random_day(rng, start, end)
        t = at(d, rng.choice([6, 7, 7, 8, 19, 20, 20, 21]), rng.randint(0, 59))
        zone = rng.choice(["green", "road", "road", "square", "stairwell"])
        r = rng.random()
        if r < 0.55:
            facts = {"location": zone, "leashed": False}
        elif r < 0.75:
            size = hh["dog_size"] or "medium"
            facts = {"location": zone, "leashed": True, "dog_size": size,
                     "leash_length_m": round(rng.choice([2.5, 3.0, 5.0]) if size in ("toy", "small") else rng.choice([1.8, 2.0, 3.0]), 1)}
        else:
            facts = {"location": zone, "leashed": True, "fouling_left": True}
        ev = B.evidence("photo") if rng.random() < 0.8 else B.evidence("witness_statement", "witness_statement")
        if "fouling_left" in facts and ev[0]["type"] != "photo":
            ev = B.evidence("worker_observation", "witness_statement")
        B.add(t, "dog", facts, household=hh["household"], zone=zone, evidence=ev,
              reporter=worker(hh["grid"]) if rng.random() < 0.6 else resident())
    for _ in range(6):  # reports that turn out fine: leash within the limit
        hh = rng.choice(dog_pool)
        d = random_day(rng, start, end)
        B.add(at(d, 19, rng.randint(0, 59)), "dog", {"location": "road", "leashed": True, "leash_length_m": 1.2, "dog_size": hh["dog_size"] or "small"},
              household=hh["household"], zone="road", evidence=B.evidence("photo"), reporter=resident(),
              scenario="dog reports that breach nothing")
    # Registration follow-up (notified in April, see history): still not vaccinated in July.
    B.add(at(date(2026, 7, 14), 10, 0), "dog_registration", {"registered": True, "vaccinated": False},
          kind="inspection", household="H-22-2-202", zone="home", evidence=B.evidence("photo"),
          scenario="registration not cured since April (offence 2 with history)")
    for hh in rng.sample(dog_pool, 8):
        B.add(at(random_day(rng, date(2026, 7, 6), date(2026, 7, 24)), 10, rng.randint(0, 59)), "dog_registration",
              {"registered": True, "vaccinated": True}, kind="inspection", household=hh["household"], zone="home",
              evidence=B.evidence("photo"))

    # ---------------- E-bikes ----------------
    # H-11-4-503: charged in the corridor in June (history) and twice in Q3.
    for d, hm in ((date(2026, 7, 15), (21, 30)), (date(2026, 8, 20), (22, 10))):
        B.add(at(d, *hm), "ebike", {"location": "corridor", "charging": True}, household="H-11-4-503", zone="corridor",
              evidence=B.evidence("photo"), scenario="corridor charging, 1 in history + 2 in Q3")
    # H-16-1-102: three times in Q3 (→ fire brigade), plus duplicates by a second reporter.
    d = date(2026, 7, 9)
    B.add(at(d, 21, 40), "ebike", {"location": "stairwell", "charging": True}, household="H-16-1-102", zone="stairwell",
          evidence=B.evidence("photo"), scenario="corridor charging ×3 with duplicates")
    B.add(at(d, 23, 40), "ebike", {"location": "stairwell", "charging": True}, household="H-16-1-102", zone="stairwell",
          evidence=B.evidence("photo"), reporter={"id": "B-16", "role": "building_head"},
          note="楼栋长夜间复查仍在充电", scenario="corridor charging ×3 with duplicates")   # exactly 2 h later: duplicate
    B.add(at(date(2026, 8, 1), 20, 15), "ebike", {"location": "stairwell", "charging": True}, household="H-16-1-102",
          zone="stairwell", evidence=B.evidence("photo"), scenario="corridor charging ×3 with duplicates")
    B.add(at(date(2026, 8, 1), 22, 15, 1), "ebike", {"location": "stairwell", "charging": True}, household="H-16-1-102",
          zone="stairwell", evidence=B.evidence("photo"), reporter={"id": "B-16", "role": "building_head"},
          scenario="corridor charging ×3 with duplicates")   # 2 h and 1 s later: counted (offence 3)
    B.add(at(date(2026, 9, 12), 21, 5), "ebike", {"location": "stairwell", "charging": True}, household="H-16-1-102",
          zone="stairwell", evidence=B.evidence("photo"), scenario="corridor charging ×3 with duplicates")
    # Lift rule from 2026-07-01: a late report of a June event breaches nothing; July events do.
    B.add(at(date(2026, 6, 30), 23, 50), "ebike", {"location": "lift", "charging": False, "battery_only": True},
          household="H-26-2-1504", building="26", zone="lift", evidence=B.evidence("camera_clip"),
          reporter={"id": "P-05", "role": "property_staff"}, delay=timedelta(hours=9),
          scenario="e-bike in a lift before / after 2026-07-01")
    B.add(at(date(2026, 7, 1), 0, 10), "ebike", {"location": "lift", "charging": False},
          household="H-26-2-1504", zone="lift", evidence=B.evidence("blocker_log"),
          reporter={"id": "P-05", "role": "property_staff"}, delay=timedelta(hours=8, minutes=30),
          scenario="e-bike in a lift before / after 2026-07-01")
    B.add(at(date(2026, 8, 19), 18, 32), "ebike", {"location": "lift", "charging": False},
          household="H-26-2-1504", zone="lift", evidence=B.evidence("camera_clip"),
          reporter={"id": "P-05", "role": "property_staff"}, scenario="e-bike in a lift before / after 2026-07-01")
    towers_ebike = [h for h in ebike_pool if h["kind"] == "tower"]
    for _ in range(5):
        hh = rng.choice(towers_ebike)
        B.add(at(random_day(rng, start, end), rng.choice([7, 8, 18, 19]), rng.randint(0, 59)), "ebike",
              {"location": "lift", "charging": False, "battery_only": rng.random() < 0.5},
              household=hh["household"], zone="lift", evidence=B.evidence("camera_clip"),
              reporter={"id": "P-05", "role": "property_staff"})
    # A worker picked "lift" for a walk-up (no lift there): no rule applies.
    hh = rng.choice([h for h in ebike_pool if h["kind"] == "walkup"])
    B.add(at(date(2026, 8, 11), 9, 30), "ebike", {"location": "lift", "charging": False}, household=hh["household"],
          zone="lift", evidence=B.evidence("photo"), scenario="\"lift\" in a walk-up: breaches nothing")
    # Mobility scooter of H-7-2-101 parked in the stairwell: exempt.
    B.add(at(date(2026, 7, 27), 15, 0), "ebike", {"location": "stairwell", "charging": False, "parked_minutes": 240},
          household="H-7-2-101", zone="stairwell", evidence=B.evidence("photo"), scenario="mobility scooter (exempt)")
    # Background: charging and parking in common parts, flying wires.
    for _ in range(26):
        hh = rng.choice(frequent_ebikes if rng.random() < 0.55 else ebike_pool)
        d = random_day(rng, start, end)
        tower = hh["kind"] == "tower"
        zone = rng.choice(["lobby", "corridor", "stairwell"] if tower else ["stairwell", "stairwell", "corridor", "landing"])
        r = rng.random()
        if r < 0.4:
            facts = {"location": zone, "charging": True}
            t = at(d, rng.choice([19, 20, 21, 22, 23]), rng.randint(0, 59))
        elif r < 0.85:
            facts = {"location": zone, "charging": False, "parked_minutes": rng.choice([15, 30, 45, 60, 120, 480])}
            t = at(d, rng.choice([8, 12, 18, 20, 21]), rng.randint(0, 59))
        else:
            facts = {"location": zone, "charging": False, "parked_minutes": 5}   # just passing through
            t = at(d, rng.choice([8, 18]), rng.randint(0, 59))
        B.add(t, "ebike", facts, household=hh["household"], zone=zone, evidence=B.evidence("photo"))
    for _ in range(12):
        hh = rng.choice(frequent_ebikes if rng.random() < 0.5 else [h for h in ebike_pool if h["kind"] != "tower"])
        d = random_day(rng, start, end)
        zone = rng.choice(["facade", "balcony", "green"])
        B.add(at(d, rng.choice([20, 21, 22, 23]), rng.randint(0, 59)), "ebike",
              {"location": zone, "charging": True, "flying_wire": True}, household=hh["household"], zone=zone,
              evidence=B.evidence("photo"), note=rng.choice([None, "电线从二楼窗户垂下", "插线板挂在窗外"]))
    for _ in range(8):   # night patrols of stairwells that found nothing
        hh = rng.choice(ebike_pool)
        B.add(at(random_day(rng, start, end), 21, rng.randint(0, 59)), "ebike",
              {"location": "stairwell", "charging": False, "parked_minutes": 0}, kind="inspection",
              household=hh["household"], zone="stairwell", evidence=B.evidence("photo"))

    # ---------------- Fire lanes (vehicle, from common/fire-safety.yaml) ----------------
    for _ in range(9):
        hh = rng.choice(hs)
        d = random_day(rng, start, end)
        mins = rng.choice([3, 20, 35, 60, 90])
        B.add(at(d, rng.choice([8, 12, 18, 19, 20]), rng.randint(0, 59)), "vehicle",
              {"location": "fire_lane", "vehicle": rng.choice(["car", "car", "ebike", "tricycle"]), "parked_minutes": mins,
               "owner_contacted": True}, household=hh["household"], zone="fire_lane",
              grid=rng.choice(["G03", "G05"]), evidence=B.evidence("photo"))

    # ---------------- Waste ----------------
    # Hours change on 2026-08-01: 20:45 breaches the old hours, not the new ones; 06:45 likewise.
    for d, hm, scen in ((date(2026, 7, 31), (20, 45), "kiosk hours: 20:45 before / after 2026-08-01"),
                        (date(2026, 8, 2), (20, 45), "kiosk hours: 20:45 before / after 2026-08-01"),
                        (date(2026, 7, 15), (6, 45), "kiosk hours: 06:45 before / after 2026-08-01"),
                        (date(2026, 8, 15), (6, 45), "kiosk hours: 06:45 before / after 2026-08-01")):
        hh = rng.choice(hs)
        B.add(at(d, *hm), "waste", {"location": "kiosk", "item": "kitchen", "debagged": True, "bin": "kitchen"},
              household=hh["household"], zone="kiosk", evidence=B.evidence("camera_clip"),
              reporter={"id": "S-0" + KIOSKS[hh["grid"]][1], "role": "kiosk_supervisor"}, scenario=scen)
    waste_pool = rng.sample(hs, 40)
    for _ in range(26):
        hh = rng.choice(waste_pool[:12] if rng.random() < 0.5 else waste_pool)
        d = random_day(rng, start, end)
        hour = rng.choice([5, 6, 10, 13, 15, 21, 22, 23, 8, 19])
        item = rng.choice(["kitchen", "other", "mixed", "recyclable"])
        zone = rng.choice(["kiosk", "kiosk", "road"])
        ev = B.evidence("camera_clip") if rng.random() < 0.6 else B.evidence("photo", "qr_bag")
        facts = {"location": zone, "item": item}
        if item == "kitchen" and zone == "kiosk":
            facts["debagged"] = True
            facts["bin"] = "kitchen"
        B.add(at(d, hour, rng.randint(0, 59)), "waste", facts, household=hh["household"], zone=zone, evidence=ev,
              reporter={"id": "S-0" + KIOSKS[hh["grid"]][1], "role": "kiosk_supervisor"})
    for _ in range(4):   # bags by the closed kiosk, no QR code: nobody to charge
        g = rng.choice(list(GRIDS))
        B.add(at(random_day(rng, start, end), 23, rng.randint(0, 59)), "waste", {"location": "kiosk", "item": "other"},
              grid=g, zone="kiosk", evidence=B.evidence("camera_clip"),
              reporter={"id": "S-0" + KIOSKS[g][1], "role": "kiosk_supervisor"}, scenario="bags at a closed kiosk, no household")
    for _ in range(12):  # kitchen waste not de-bagged (supervisor at the bin, within hours)
        hh = rng.choice(waste_pool)
        d = random_day(rng, start, end)
        B.add(at(d, rng.choice([7, 8, 18, 19]), rng.randint(0, 59)), "waste",
              {"location": "kiosk", "item": "kitchen", "debagged": False, "bin": "kitchen"},
              household=hh["household"], zone="kiosk", evidence=B.evidence("worker_observation", "qr_bag"),
              reporter={"id": "S-0" + KIOSKS[hh["grid"]][1], "role": "kiosk_supervisor"})
    for i in range(5):   # hazardous waste in the wrong bin; one put correctly into the red box
        hh = rng.choice(hs)
        d = random_day(rng, start, end)
        B.add(at(d, 8, rng.randint(0, 59)), "waste",
              {"location": "kiosk", "item": "hazardous", "bin": "hazardous" if i == 0 else rng.choice(["other", "kitchen"])},
              household=hh["household"], zone="kiosk", evidence=B.evidence("photo", "qr_bag"),
              reporter={"id": "S-0" + KIOSKS[hh["grid"]][1], "role": "kiosk_supervisor"})
    for i in range(8):   # bulky and renovation waste
        hh = rng.choice(hs)
        d = random_day(rng, start, end)
        zone = rng.choice(["stairwell", "green", "kiosk", "bulky_point"]) if i else "bulky_point"
        B.add(at(d, rng.choice([9, 14, 17]), rng.randint(0, 59)), "waste",
              {"location": zone, "item": rng.choice(["bulky", "renovation"]), "hours_left": rng.choice([6, 30, 50])},
              household=hh["household"], zone=zone, evidence=B.evidence("photo"))
    for _ in range(10):  # bags left outside the door
        hh = rng.choice(waste_pool)
        d = random_day(rng, start, end)
        hrs = rng.choice([4, 12, 14, 20])
        B.add(at(d, 7, rng.randint(0, 30)), "waste", {"location": "landing", "item": rng.choice(["kitchen", "other"]),
                                                      "hours_left": hrs},
              household=hh["household"], zone="landing", evidence=B.evidence("worker_observation", "photo"))
    for _ in range(10):  # kiosk audits: correct deposits (inspections, compliant)
        hh = rng.choice(hs)
        B.add(at(random_day(rng, start, end), rng.choice([7, 8, 18, 19]), rng.randint(0, 59)), "waste",
              {"location": "kiosk", "item": "kitchen", "debagged": True, "bin": "kitchen"}, kind="inspection",
              household=hh["household"], zone="kiosk", evidence=B.evidence("qr_bag"),
              reporter={"id": "S-0" + KIOSKS[hh["grid"]][1], "role": "kiosk_supervisor"})

    # ---------------- Throwing from height ----------------
    B.add(at(date(2026, 7, 26), 14, 25), "throw", {"act": "throw", "object": "玻璃瓶", "floor": 11, "side": "east", "damage": True},
          building="26", grid="G05", unit="1", zone="road", evidence=B.evidence("camera_clip"),
          note="26号楼东侧，车辆前挡风玻璃受损，已报110", scenario="thrown from height, household unknown")
    B.add(at(date(2026, 8, 28), 20, 10), "throw", {"act": "drop", "object": "花盆碎片", "side": "south"},
          building="14", grid="G04", zone="green", evidence=B.evidence("witness_statement", "photo"),
          scenario="thrown from height, household unknown")
    B.add(at(date(2026, 9, 6), 9, 45), "throw", {"act": "throw", "object": "西瓜皮", "floor": 7, "side": "north"},
          household="H-27-2-702", zone="road", evidence=B.evidence("camera_clip"),
          scenario="thrown from height, household identified")
    for _ in range(5):
        hh = rng.choice([h for h in hs if h["floor"] >= 2])
        B.add(at(random_day(rng, start, end), rng.choice([7, 11, 19]), rng.randint(0, 59)), "throw",
              {"act": rng.choice(["pour", "shake"]), "object": rng.choice(["洗菜水", "拖把", "地毯灰尘", "剩菜"]),
               "floor": hh["floor"]}, household=hh["household"], zone="green",
              evidence=B.evidence("witness_statement", "photo"), reporter=resident())
    # Facade patrols (typhoon season): mostly fine.
    for _ in range(24):
        hh = rng.choice([h for h in hs if h["floor"] >= 2])
        d = random_day(rng, start, end)
        bad = rng.random() < 0.25
        item = rng.choice(["flowerpot", "box", "ac_bracket", "clothes_rack"])
        facts = {"item": item, "secured": not (bad and item != "ac_bracket"), "floor": hh["floor"]}
        if item == "ac_bracket":
            facts["ac_bracket_loose"] = bad
        B.add(at(d, 10, rng.randint(0, 59)), "facade", facts, kind="inspection", household=hh["household"],
              zone="facade", evidence=B.evidence("photo"))

    # ---------------- Corridors ----------------
    clutter_pool = rng.sample([h for h in hs if h["kind"] != "tower"], 30) + rng.sample([h for h in hs if h["kind"] == "tower"], 8)
    for _ in range(22):
        hh = rng.choice(clutter_pool[:10] if rng.random() < 0.5 else clutter_pool)
        d = random_day(rng, start, end)
        zone = rng.choice(["stairwell", "landing", "corridor"] if hh["kind"] != "tower" else ["corridor", "lobby"])
        kind = rng.choice(["old", "old", "old", "cartons", "cartons", "narrow", "narrow", "shoes"])
        if kind == "old":
            facts = {"location": zone, "items": rng.randint(1, 4), "hours_present": rng.choice([36, 72, 120])}
        elif kind == "cartons":
            facts = {"location": zone, "items": rng.randint(2, 6), "hours_present": 6, "combustible": True}
        elif kind == "narrow":
            facts = {"location": zone, "items": 1, "hours_present": 10, "width_left_m": rng.choice([0.6, 0.8])}
        else:
            facts = {"location": zone, "items": 1, "hours_present": 200, "shoe_rack_only": True}
        B.add(at(d, rng.choice([9, 10, 15, 16]), rng.randint(0, 59)), "corridor", facts, household=hh["household"],
              zone=zone, evidence=B.evidence("photo"))
    # Renovation storage: within 72 h (exempt) and kept too long (not exempt).
    B.add(at(date(2026, 8, 12), 10, 0), "corridor",
          {"location": "landing", "items": 5, "hours_present": 48, "width_left_m": 1.1, "renovation_permit": True},
          household="H-20-3-402", zone="landing", evidence=B.evidence("photo"), scenario="renovation storage (exempt, then too long)")
    B.add(at(date(2026, 8, 14), 10, 5), "corridor",
          {"location": "landing", "items": 5, "hours_present": 96, "width_left_m": 1.1, "renovation_permit": True},
          household="H-20-3-402", zone="landing", evidence=B.evidence("photo"), scenario="renovation storage (exempt, then too long)")
    for _ in range(5):   # exits
        hh = rng.choice(hs)
        zone = "fire_exit" if hh["kind"] == "tower" else "stairwell"
        facts = {"location": zone}
        facts[rng.choice(["exit_blocked", "exit_locked", "fire_door_propped"])] = True
        B.add(at(random_day(rng, start, end), 10, rng.randint(0, 59)), "corridor", facts, household=hh["household"],
              zone=zone, evidence=B.evidence("photo"))
    for _ in range(5):   # private fixtures
        hh = rng.choice(hs)
        fixture = rng.choice(["gate", "cupboard", "ground_lock", "vegetable_plot"])
        zone = {"gate": "landing", "cupboard": "corridor", "ground_lock": "parking", "vegetable_plot": "green"}[fixture]
        B.add(at(random_day(rng, start, end), 15, rng.randint(0, 59)), "corridor", {"location": zone, "fixture": fixture},
              household=hh["household"], zone=zone, evidence=B.evidence("photo"))
    for _ in range(6):   # smoking
        hh = rng.choice(hs)
        zone = "lift" if hh["kind"] == "tower" else "stairwell"
        B.add(at(random_day(rng, start, end), rng.choice([7, 12, 21]), rng.randint(0, 59)), "corridor",
              {"location": zone, "smoking": True}, household=hh["household"], zone=zone,
              evidence=B.evidence("camera_clip" if zone == "lift" else "worker_observation"))
    for _ in range(14):  # corridor inspections that found nothing
        hh = rng.choice(hs)
        zone = "corridor" if hh["kind"] == "tower" else "stairwell"
        B.add(at(random_day(rng, start, end), 10, rng.randint(0, 59)), "corridor",
              {"location": zone, "items": 0, "exit_blocked": False, "smoking": False}, kind="inspection",
              household=hh["household"], zone=zone, evidence=B.evidence("photo"))

    # ---------------- Noise ----------------
    # One late party, three neighbours calling within the hour → 1 violation + 2 duplicates.
    d = date(2026, 7, 25)
    for i, (hh_, mm) in enumerate(((23, 20), (23, 45), (0, 15))):
        t = at(d if hh_ == 23 else d + timedelta(days=1), hh_, mm)
        B.add(t, "noise", {"source": "gathering", "minutes": 90, "complaints": 3 + i}, household="H-25-1-1203",
              zone="home", evidence=B.evidence("recording"), reporter=resident(),
              scenario="late party reported by three neighbours (dedupe 3h)")
    # Crossing midnight: 01:15 breaches, 21:50 does not, 06:00 does not.
    for t, scen in ((at(date(2026, 8, 8), 1, 15), "quiet hours across midnight: 01:15"),
                    (at(date(2026, 8, 12), 21, 50), "quiet hours: 21:50 (not yet)"),
                    (at(date(2026, 8, 16), 6, 0), "quiet hours: 06:00 (over)")):
        B.add(t, "noise", {"source": "music", "minutes": 40, "complaints": 2}, household="H-25-1-1203", zone="home",
              evidence=B.evidence("recording"), reporter=resident(), scenario=scen)
    noise_pool = rng.sample(hs, 25)
    for _ in range(20):
        hh = rng.choice(noise_pool)
        d = random_day(rng, start, end)
        hour = rng.choice([22, 23, 23, 0, 1, 2, 22, 21])
        src = rng.choice(["music", "tv", "gathering", "furniture", "tools", "footsteps"])
        B.add(at(d, hour, rng.randint(0, 59)), "noise",
              {"source": src, "minutes": rng.choice([5, 15, 30, 60]), "complaints": rng.choice([1, 2, 2, 3]),
               "confirmed_by_worker": rng.random() < 0.3},
              household=hh["household"], zone="home",
              evidence=B.evidence("recording") if rng.random() < 0.7 else B.evidence("witness_statement", "witness_statement"),
              reporter=resident())
    # Renovation: weekday 12:30 (breach), weekday 10:00 (fine), Saturday 10:00 (breach), and more.
    for t, scen in ((at(date(2026, 8, 12), 12, 30), "renovation at 12:30 on a Wednesday"),
                    (at(date(2026, 8, 13), 10, 0), "renovation at 10:00 on a Thursday (allowed)"),
                    (at(date(2026, 8, 15), 10, 0), "renovation at 10:00 on a Saturday")):
        B.add(t, "noise", {"source": "renovation", "minutes": 45, "complaints": 2}, household="H-20-3-402", zone="home",
              evidence=B.evidence("recording"), reporter=resident(), scenario=scen)
    for _ in range(10):
        hh = rng.choice(hs)
        d = random_day(rng, start, end)
        B.add(at(d, rng.choice([7, 9, 12, 13, 15, 18, 19]), rng.randint(0, 59)), "noise",
              {"source": "renovation", "minutes": rng.choice([20, 60, 120]), "complaints": rng.choice([1, 2])},
              household=hh["household"], zone="home", evidence=B.evidence(rng.choice(["recording", "worker_observation"])),
              reporter=resident())
    # Square dancing: the registered team leader's household.
    for _ in range(8):
        d = random_day(rng, start, end)
        hour, minute = rng.choice([(19, 30), (20, 15), (21, 20), (21, 45), (6, 30)])
        B.add(at(d, hour, minute), "noise",
              {"source": "square_dance", "minutes": 60, "complaints": rng.choice([0, 1, 2]), "audible_outside": rng.random() < 0.3},
              household="H-10-1-601", grid="G03", zone="square", evidence=B.evidence("worker_observation"),
              scenario="square dancing (team leader's household)")
    # Night barking: only persistent barking counts.
    for _ in range(5):
        hh = rng.choice(dog_pool)
        d = random_day(rng, start, end)
        B.add(at(d, rng.choice([23, 0, 1]), rng.randint(0, 59)), "noise",
              {"source": "dog_barking", "minutes": rng.choice([10, 20, 40]), "complaints": rng.choice([1, 2, 3]),
               "nights": rng.choice([1, 3, 4])}, household=hh["household"], zone="home", evidence=B.evidence("recording"),
              reporter=resident())

    # ---------------- Chat groups (rule from 2026-09-01) ----------------
    chat = rng.sample(hs, 4)
    B.add(at(date(2026, 8, 30), 21, 10), "neighbour", {"channel": "building_group", "insult": True, "doxxing": False},
          household=chat[0]["household"], evidence=B.evidence("screenshot"), scenario="chat-group rule before / after 2026-09-01")
    B.add(at(date(2026, 9, 3), 22, 5), "neighbour", {"channel": "building_group", "insult": True, "doxxing": True},
          household=chat[0]["household"], evidence=B.evidence("screenshot"), scenario="chat-group rule before / after 2026-09-01")
    for hh in chat[1:]:
        B.add(at(random_day(rng, date(2026, 9, 2), end), 20, rng.randint(0, 59)), "neighbour",
              {"channel": "community_group", "insult": rng.random() < 0.7, "doxxing": rng.random() < 0.3,
               "deleted_after_reminder": True}, household=hh["household"], evidence=B.evidence("screenshot"))

    # ---------------- Inspections without a household ----------------
    d = date(2026, 7, 2)
    while d <= end:   # weekly shed checks
        for shed, g in SHEDS:
            bad = rng.random() < 0.12
            facts = {"cutoff_works": True, "cable_across_path": False, "extinguisher_ok": True, "overcrowded": False}
            if bad:
                key = rng.choice(sorted(facts))
                facts[key] = not facts[key]
            B.add(at(d, 16, rng.randint(0, 59)), "shed_check", facts, kind="inspection", grid=g, zone="bike_shed",
                  reporter={"id": "P-0" + shed[1], "role": "property_staff"}, evidence=B.evidence("photo"),
                  note=f"{shed} 号车棚")
        d += timedelta(days=7)
    units = [(b, u) for b in range(1, 29) for u in range(1, layout(b)[1] + 1)]
    for month in (7, 8, 9):   # monthly stairwell checks of every unit, first week of the month
        for b, u in units:
            g = GRID_OF[b]
            facts = {k: True for k in ("no_clutter", "no_ebike", "no_charging", "exits_clear", "extinguisher_ok",
                                       "lights_ok", "no_ads", "no_bags")}
            if rng.random() < 0.08:
                facts[rng.choice(["no_clutter", "no_ebike", "lights_ok", "no_ads", "no_bags", "extinguisher_ok"])] = False
            B.add(at(date(2026, month, rng.randint(1, 7)), rng.choice([9, 10, 14, 15]), rng.randint(0, 59)),
                  "stairwell_check", facts, kind="inspection", grid=g, building=str(b), unit=str(u), zone="stairwell",
                  reporter={"id": f"B-{b:02d}", "role": "building_head"}, evidence=B.evidence("photo"))

    # ---------------- Deeds ----------------
    volunteers = rng.sample(hs, 40)
    activities = ["垃圾分类督导", "文明劝导", "助老服务", "社区清扫", "反诈宣传", "消防演练协助"]
    for _ in range(45):
        hh = rng.choice(volunteers[:15] if rng.random() < 0.6 else volunteers)
        d = random_day(rng, start, end)
        hours = rng.choice([1.0, 1.5, 2.0, 2.0, 3.0, 3.5])
        B.add(at(d, rng.choice([8, 9, 14, 15]), 0), "volunteer", {"hours": hours, "activity": rng.choice(activities)},
              kind="deed", household=hh["household"], reporter={"id": "V-ORG-1", "role": "organiser"},
              note="超过 2 小时的部分不计分" if hours > 2 else None)
    for _ in range(14):
        hh = rng.choice(volunteers)
        B.add(at(random_day(rng, start, end), 18, 0), "patrol_shift",
              {"hours": rng.choice([2.0, 2.0, 4.0, 1.5]), "post": rng.choice(["电动车劝导岗", "文明养犬劝导岗", "分类亭督导岗"])},
              kind="deed", household=hh["household"], reporter={"id": "W-01", "role": "grid_leader"})
    for _ in range(12):
        hh = rng.choice(hs)
        B.add(at(random_day(rng, start, end), 15, 0), "micro_wish",
              {"tier": rng.choice(["S", "S", "M", "L"]), "signed_off": rng.random() < 0.85},
              kind="deed", household=hh["household"], reporter={"id": "C-02", "role": "committee"})
    for d in (date(2026, 7, 17), date(2026, 9, 18)):   # residents' meetings
        for hh in rng.sample(hs, 12):
            B.add(at(d, 19, 0), "meeting", {"meeting": f"居民议事会 {d.isoformat()}", "full_attendance": rng.random() < 0.85},
                  kind="deed", household=hh["household"], reporter={"id": "C-01", "role": "committee"},
                  delay=timedelta(hours=2, minutes=rng.randint(0, 30)))
    for deed, value in (("lost_property", 1200.0), ("lost_property", 80.0), ("brave_act", None), ("helping", None),
                        ("lost_property", 600.0), ("helping", None)):
        hh = rng.choice(hs)
        facts = {"deed": deed, "verified_by": "police" if deed == "brave_act" else "committee"}
        if value is not None:
            facts["value_rmb"] = value
        B.add(at(random_day(rng, start, end), 11, 0), "good_deed", facts, kind="deed", household=hh["household"],
              reporter={"id": "C-01", "role": "committee"}, scenario="good deeds")
    for role, kept in (("mediator", None), ("party", 95), ("party", 95), ("party", 40), ("mediator", None)):
        hh = rng.choice(hs)
        facts = {"role": role}
        if kept is not None:
            facts["days_kept"] = kept
        B.add(at(random_day(rng, start, end), 10, 0), "mediation", facts, kind="deed", household=hh["household"],
              reporter={"id": "C-03", "role": "committee"})
    carers = rng.sample(hs, 3)
    for month in (7, 8, 9):
        for hh in carers:
            B.add(at(date(2026, month, 28), 17, 0), "elder_care", {"visits": rng.choice([3, 4, 5, 6]), "confirmed_by": "grid_worker"},
                  kind="deed", household=hh["household"], reporter={"id": rng.choice(WORKERS[hh["grid"]]), "role": "grid_worker"})
    heads = [h for h in hs if h["household"] in ("H-2-1-101", "H-12-1-102", "H-26-1-201")] or rng.sample(hs, 3)
    for month in (7, 8, 9):
        for hh in heads:
            B.add(at(date(2026, month, 30), 17, 30), "building_head",
                  {"patrols": rng.choice([3, 4, 5, 6]), "notice_rounds": rng.choice([1, 1, 2])},
                  kind="deed", household=hh["household"], reporter={"id": "W-01", "role": "grid_leader"})
    for month in ("2026-07", "2026-08", "2026-09"):
        for hh in rng.sample(ebike_pool, 4):
            y, m = map(int, month.split("-"))
            B.add(at(date(y, m, 28), 9, 0), "shed_charging", {"month": month, "shed_only": rng.random() < 0.9},
                  kind="deed", household=hh["household"], reporter={"id": "P-02", "role": "property_staff"})
    sorters = rng.sample(hs, 10)
    for _ in range(24):
        hh = rng.choice(sorters)
        B.add(at(random_day(rng, start, end), rng.choice([7, 8, 18, 19]), rng.randint(0, 59)), "sorting",
              {"correct": rng.random() < 0.9, "kiosk": KIOSKS[hh["grid"]]}, kind="deed", household=hh["household"],
              reporter={"id": "S-0" + KIOSKS[hh["grid"]][1], "role": "kiosk_supervisor"})
    # Three model sorters: 7–8 audited deposits a month (the credit is capped at 8 points a month).
    for hh in rng.sample(sorters, 3):
        for month in (7, 8, 9):
            for day in sorted(rng.sample(range(1, 29), rng.choice([7, 8]))):
                B.add(at(date(2026, month, day), rng.choice([7, 8, 18, 19]), rng.randint(0, 59)), "sorting",
                      {"correct": True, "kiosk": KIOSKS[hh["grid"]]}, kind="deed", household=hh["household"],
                      reporter={"id": "S-0" + KIOSKS[hh["grid"]][1], "role": "kiosk_supervisor"})

    # ---------------- Invalid on purpose ----------------
    hh = rng.choice(ebike_pool)
    B.add(at(date(2026, 7, 21), 21, 0), "ebike", {"location": "corridor", "charging": True}, household=hh["household"],
          zone="corridor", scenario="invalid: no photo for a charging report")
    hh = rng.choice(ebike_pool)
    B.add(at(date(2026, 8, 4), 20, 30), "ebike", {"location": "stairwell", "charging": "yes"}, household=hh["household"],
          zone="stairwell", evidence=B.evidence("photo"), scenario="invalid: `charging` is a string")
    hh = rng.choice(dog_pool)
    B.add(at(date(2026, 8, 9), 7, 40), "dog", {"location": "green"}, household=hh["household"], zone="green",
          evidence=B.evidence("photo"), scenario="invalid: `leashed` missing")
    hh = rng.choice(hs)
    B.add(at(date(2026, 8, 22), 16, 0), "corridor", {"location": "basement", "items": 3, "hours_present": 48},
          household=hh["household"], zone="basement", evidence=B.evidence("photo"), scenario="invalid: unknown zone `basement`")
    hh = rng.choice(hs)
    B.add(at(date(2026, 9, 5), 22, 30), "noise", {"source": "music", "minutes": 30, "complaints": 2}, household=hh["household"],
          zone="home", evidence=B.evidence("recording"), delay=-timedelta(hours=1, minutes=10),
          scenario="invalid: occurred after it was reported")
    hh = rng.choice(hs)
    B.add(at(date(2026, 9, 8), 9, 0), "parking_fee", {"amount": 120}, household=hh["household"],
          scenario="invalid: unknown category")
    hh = rng.choice(hs)
    r = B.add(at(date(2026, 9, 14), 21, 15), "ebike", {"location": "stairwell", "charging": True}, household=hh["household"],
              zone="stairwell", evidence=B.evidence("photo"), scenario="invalid: timestamp without an offset")
    r["occurred_at"] = r["occurred_at"][:19]
    B.add(at(date(2026, 9, 17), 19, 5), "ebike", {"location": "stairwell", "charging": False, "parked_minutes": 60},
          building="29", grid="G05", unit="1", zone="stairwell", evidence=B.evidence("photo"),
          scenario="invalid: building 29 is not on the roster")
    return B


# ------------------------------------------------------------------ the Q2 history

def build_q2(rng, roster):
    B = Builder(rng, roster, "QNL-2026")
    start, end = date(2026, 4, 1), date(2026, 6, 30)
    hs = roster
    dog_pool = [h for h in hs if h["has_dog"]]
    ebike_pool = [h for h in hs if h["has_ebike"]]
    B.add(at(date(2026, 5, 10), 19, 30), "dog", {"location": "road", "leashed": False, "dog_size": "small"},
          household="H-9-1-201", zone="road", evidence=B.evidence("photo"), scenario="history: dog leash day 1")
    B.add(at(date(2026, 6, 20), 21, 50), "ebike", {"location": "corridor", "charging": True}, household="H-11-4-503",
          zone="corridor", evidence=B.evidence("photo"), scenario="history: corridor charging")
    B.add(at(date(2026, 4, 16), 10, 0), "dog_registration", {"registered": True, "vaccinated": False}, kind="inspection",
          household="H-22-2-202", zone="home", evidence=B.evidence("photo"), scenario="history: registration notice")
    B.add(at(date(2026, 6, 8), 10, 30), "noise", {"source": "renovation", "minutes": 60, "complaints": 3},
          household="H-20-3-402", zone="home", evidence=B.evidence("recording"), scenario="history: renovation on an exam day")
    B.add(at(date(2026, 6, 12), 18, 20), "ebike", {"location": "lift", "charging": False}, household="H-26-2-1504",
          zone="lift", evidence=B.evidence("camera_clip"), scenario="history: e-bike in a lift before the rule")
    B.add(at(date(2026, 5, 20), 10, 0), "facade", {"item": "flowerpot", "secured": False, "floor": 5}, kind="inspection",
          household="H-12-3-502", zone="facade", evidence=B.evidence("photo"), scenario="history: facade patrol out of season")
    for _ in range(16):
        hh = rng.choice(dog_pool[:40])
        d = random_day(rng, start, end)
        B.add(at(d, rng.choice([7, 19, 20]), rng.randint(0, 59)), "dog", {"location": rng.choice(["green", "road"]), "leashed": False},
              household=hh["household"], zone="road", evidence=B.evidence("photo"))
    for _ in range(18):
        hh = rng.choice(ebike_pool[:50])
        d = random_day(rng, start, end)
        if rng.random() < 0.5:
            facts = {"location": "stairwell", "charging": True}
        else:
            facts = {"location": "stairwell", "charging": False, "parked_minutes": rng.choice([30, 60, 240])}
        if hh["kind"] == "tower":
            facts["location"] = "lobby"
        B.add(at(d, rng.choice([20, 21, 22]), rng.randint(0, 59)), "ebike", facts, household=hh["household"],
              zone=facts["location"], evidence=B.evidence("photo"))
    for _ in range(12):
        hh = rng.choice(hs[:600])
        d = random_day(rng, start, end)
        B.add(at(d, rng.choice([9, 15]), rng.randint(0, 59)), "corridor",
              {"location": "stairwell" if hh["kind"] != "tower" else "corridor", "items": rng.randint(1, 3),
               "hours_present": rng.choice([30, 72])}, household=hh["household"],
              zone="stairwell" if hh["kind"] != "tower" else "corridor", evidence=B.evidence("photo"))
    for _ in range(10):
        hh = rng.choice(hs)
        d = random_day(rng, start, end)
        B.add(at(d, rng.choice([22, 23, 0, 1]), rng.randint(0, 59)), "noise",
              {"source": rng.choice(["music", "gathering", "tv"]), "minutes": 40, "complaints": 2},
              household=hh["household"], zone="home", evidence=B.evidence("recording"), reporter={"id": "R-301", "role": "resident"})
    for _ in range(8):
        hh = rng.choice(hs)
        d = random_day(rng, start, end)
        B.add(at(d, rng.choice([10, 13, 22]), rng.randint(0, 59)), "waste", {"location": "kiosk", "item": "other"},
              household=hh["household"], zone="kiosk", evidence=B.evidence("camera_clip"),
              reporter={"id": "S-01", "role": "kiosk_supervisor"})
    for _ in range(10):
        hh = rng.choice(hs)
        B.add(at(random_day(rng, start, end), 9, 0), "volunteer", {"hours": rng.choice([1.0, 2.0, 3.0]), "activity": "社区清扫"},
              kind="deed", household=hh["household"], reporter={"id": "V-ORG-1", "role": "organiser"})
    return B


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------

PLAIN = re.compile(r"^[A-Za-z\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]*$")
RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def yscalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if v is None:
        return "null"
    s = str(v)
    if PLAIN.match(s) and s.lower() not in RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


def yflow(v):
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k}: {yflow(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[ " + ", ".join(yflow(x) for x in v) + " ]"
    return yscalar(v)


def write_yaml(path, records):
    out = ["# 20 incidents of samples/incidents/2026-q3.ndjson as multi-document YAML (generated by",
           "# scripts/generate-samples.py; do not edit by hand)."]
    for r in records:
        out.append("---")
        for k, v in ordered(r).items():
            if k in ("occurred_at", "reported_at"):
                out.append(f"{k}: {v}")
            else:
                out.append(f"{k}: {yflow(v)}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def write_csv(path, records):
    fact_names = []
    for r in records:
        for k in r.get("facts", {}):
            if k not in fact_names:
                fact_names.append(k)
    cols = ["id", "kind", "occurred_at", "reported_at", "reporter", "grid", "building", "unit", "zone", "household",
            "category"] + [f"facts.{k}" for k in fact_names] + ["evidence"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in records:
        where = r.get("where", {})
        row = [r["id"], r["kind"], r["occurred_at"], r["reported_at"], r["reporter"]["id"],
               where.get("grid", ""), where.get("building", ""), where.get("unit", ""), where.get("zone", ""),
               r.get("household", ""), r["category"]]
        for k in fact_names:
            v = r.get("facts", {}).get(k)
            row.append("" if v is None else (str(v).lower() if isinstance(v, bool) else str(v)))
        row.append(";".join(e["type"] for e in r.get("evidence", [])))
        w.writerow(row)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def write_ndjson(path, records, malformed_after=None, malformed_line=None):
    lines = []
    for r in records:
        lines.append(json.dumps(ordered(r), ensure_ascii=False, separators=(",", ":")))
        if malformed_after is not None and r["id"] == malformed_after:
            lines.append(malformed_line)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples"))
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    out = os.path.normpath(args.out)
    os.makedirs(os.path.join(out, "incidents"), exist_ok=True)

    rng = random.Random(SEED)
    roster = make_roster(rng)
    write_roster(os.path.join(out, "roster.csv"), roster)

    q2 = build_q2(random.Random(SEED + 2), roster)
    history = q2.assign_ids(1)
    q3 = build_q3(random.Random(SEED + 3), roster)
    records = q3.assign_ids(3001)

    # One line a phone app cut off mid-upload.
    middle = records[len(records) // 2]
    malformed = ('{"id":"QNL-2026-00' + str(3001 + len(records)) + '","kind":"report","occurred_at":"2026-08-17T20:05:00+08:00",'
                 '"reporter":{"id":"W-05","role":"grid_worker"},"where":{"grid":"G03","building":"10"')
    write_ndjson(os.path.join(out, "incidents", "2026-q3.ndjson"), records, middle["id"], malformed)
    write_ndjson(os.path.join(out, "incidents", "history-2026-q2.ndjson"), history)

    # A sample for the other formats: every kind and status, valid records only (plus the scenarios above
    # that matter most), picked deterministically.
    pick_rng = random.Random(SEED + 4)
    valid = [r for r in records if not any(r in v for k, v in q3.scenarios.items() if k.startswith("invalid"))]
    yaml_sample = sorted(pick_rng.sample(valid, 17) + q3.scenarios["corridor charging ×3 with duplicates"][:3],
                         key=lambda r: r["id"])
    write_yaml(os.path.join(out, "incidents", "2026-q3.yaml"), yaml_sample)
    csv_categories = {"ebike", "dog", "noise", "waste", "volunteer"}
    csv_pool = [r for r in valid if r["category"] in csv_categories]
    csv_sample = sorted(pick_rng.sample(csv_pool, 28) + q3.scenarios["late party reported by three neighbours (dedupe 3h)"][:2],
                        key=lambda r: r["id"])
    seen = set()
    csv_sample = [r for r in csv_sample if not (r["id"] in seen or seen.add(r["id"]))]
    write_csv(os.path.join(out, "incidents", "2026-q3.csv"), csv_sample)

    if not args.quiet:
        print(f"roster: {len(roster)} households; Q3: {len(records) + 1} records (1 malformed line); "
              f"Q2 history: {len(history)}; YAML: {len(yaml_sample)}; CSV: {len(csv_sample)}")
        for name, recs in list(q2.scenarios.items()) + list(q3.scenarios.items()):
            print(f"  {name}: " + ", ".join(r["id"] for r in recs))
        print(f"  invalid: malformed JSON line after {middle['id']}")


if __name__ == "__main__":
    main()
