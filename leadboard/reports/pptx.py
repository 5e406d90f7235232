"""The PPTX management deck: 16:9, one template, native (editable) PowerPoint charts.

Slides: title; cockpit KPIs with traffic lights and Δ; global target and pace; funnel; campaign
performance vs targets (top and bottom); budget usage; handover and acceptance delay; alerts
with recommended actions. Every number comes from the `Report`, that is from the KPI engine.
"""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from leadboard.metrics.units import fmt
from leadboard.reports.content import Report, filters_text
from leadboard.reports.texts import SEVERITY, TEXT, dimension_label, rule_name

BRAND = RGBColor(0x1F, 0x4E, 0x79)
ACCENT = RGBColor(0x2E, 0x86, 0xC1)
INK = RGBColor(0x1B, 0x26, 0x31)
MUTED = RGBColor(0x5D, 0x6D, 0x7E)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
LIGHTS = {
    "green": RGBColor(0x1E, 0x84, 0x49),
    "amber": RGBColor(0xD6, 0x89, 0x10),
    "red": RGBColor(0xC0, 0x39, 0x2B),
    "grey": RGBColor(0x95, 0xA5, 0xA6),
}
SEVERITY_COLOURS = {
    "high": LIGHTS["red"],
    "medium": LIGHTS["amber"],
    "low": ACCENT,
    "info": LIGHTS["green"],
}
WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 16:9, as PowerPoint makes it
MARGIN = Inches(0.5)
TOP = Inches(1.25)
MAX_ALERTS = 6


def write_pptx(report: Report) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _title_slide(prs, report)
    _cockpit(prs, report)
    _global_target(prs, report)
    _funnel(prs, report)
    _campaigns(prs, report)
    _budget(prs, report)
    _handover(prs, report)
    _alerts(prs, report)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _t(key: str, report: Report) -> str:
    return TEXT[key][report.lang]


def _blank(prs: Any, report: Report, title: str) -> Slide:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    bar = slide.shapes.add_shape(1, 0, 0, WIDTH, Inches(0.95))
    bar.fill.solid()
    bar.fill.fore_color.rgb = BRAND
    bar.line.fill.background()
    box = slide.shapes.add_textbox(MARGIN, Inches(0.18), WIDTH - 2 * MARGIN, Inches(0.6))
    para = box.text_frame.paragraphs[0]
    para.text = title
    para.font.size, para.font.bold, para.font.color.rgb = Pt(26), True, WHITE
    foot = slide.shapes.add_textbox(MARGIN, HEIGHT - Inches(0.45), WIDTH - 2 * MARGIN, Inches(0.3))
    line = foot.text_frame.paragraphs[0]
    line.text = (
        f"Leadboard · {report.period['label']} · {_t('filters', report)}: "
        f"{filters_text(report.request)} · {_t('as_of', report)} {report.as_of[:16]} · "
        f"{_t('data_version', report)} {report.data_version}"
    )
    line.font.size, line.font.color.rgb = Pt(10), MUTED
    return slide


def _text(
    slide: Slide,
    x: int,
    y: int,
    w: int,
    h: int,
    text: str,
    size: int = 16,
    colour: RGBColor = INK,
    bold: bool = False,
) -> None:
    box = slide.shapes.add_textbox(x, y, w, h)
    frame = box.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    para.text = text
    para.font.size, para.font.color.rgb, para.font.bold = Pt(size), colour, bold


def _chart(
    slide: Slide,
    kind: Any,
    data: CategoryChartData,
    x: int,
    y: int,
    w: int,
    h: int,
    number_format: str = "#,##0",
    legend: bool = True,
) -> Any:
    chart = slide.shapes.add_chart(kind, x, y, w, h, data).chart
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    chart.font.size = Pt(12)
    chart.has_title = False
    chart.value_axis.tick_labels.number_format = number_format
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDF, 0xE4, 0xEA)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = number_format
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.font.size = Pt(10)
    for i, series in enumerate(plot.series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = BRAND if i == 0 else ACCENT
    return chart


def _title_slide(prs: Any, report: Report) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    band = slide.shapes.add_shape(1, 0, Inches(2.0), WIDTH, Inches(3.0))
    band.fill.solid()
    band.fill.fore_color.rgb = BRAND
    band.line.fill.background()
    _text(
        slide,
        MARGIN,
        Inches(2.25),
        WIDTH - 2 * MARGIN,
        Inches(1),
        _t("report_title", report),
        32,
        WHITE,
        True,
    )
    _text(
        slide,
        MARGIN,
        Inches(3.95),
        WIDTH - 2 * MARGIN,
        Inches(1),
        f"{_t('period', report)}: {report.period['label']} ({report.period['start'][:10]} – "
        f"{report.period['end'][:10]}) · {_t('filters', report)}: {filters_text(report.request)}",
        18,
        WHITE,
    )
    _text(
        slide,
        MARGIN,
        Inches(5.4),
        WIDTH - 2 * MARGIN,
        Inches(0.6),
        f"{_t('as_of', report)} {report.as_of[:16].replace('T', ' ')} UTC · "
        f"{_t('data_version', report)} {report.data_version} · "
        f"{_t('currency', report)} {report.currency}",
        14,
        MUTED,
    )


def _cockpit(prs: Any, report: Report) -> None:
    slide = _blank(prs, report, _t("cockpit", report))
    lang, cur = report.lang, report.currency
    rows = len(report.tiles) + 1
    shape = slide.shapes.add_table(rows, 6, MARGIN, TOP, WIDTH - 2 * MARGIN, Inches(0.55) * rows)
    table = shape.table
    heads = [
        "",
        _t("kpi", report),
        _t("value", report),
        _t("delta", report),
        _t("target", report),
        _t("achievement", report),
    ]
    for c, head in enumerate(heads):
        cell = table.cell(0, c)
        cell.text = head
        cell.fill.solid()
        cell.fill.fore_color.rgb = BRAND
        cell.text_frame.paragraphs[0].font.color.rgb = WHITE
        cell.text_frame.paragraphs[0].font.bold = True
        cell.text_frame.paragraphs[0].font.size = Pt(14)
    table.columns[0].width = Inches(0.45)
    table.columns[1].width = Inches(3.4)
    for c in range(2, 6):
        table.columns[c].width = int((WIDTH - 2 * MARGIN - Inches(3.85)) / 4)
    for r, tile in enumerate(report.tiles, start=1):
        target = tile.target
        ratio = (
            None if target is None else (target.pace if target.elapsed < 1 else target.achievement)
        )
        delta = (
            ""
            if tile.delta is None
            else ("+" if tile.delta > 0 else "") + fmt(tile.delta, tile.unit, lang, cur)
        )
        values = [
            "",
            tile.label,
            fmt(tile.value, tile.unit, lang, cur),
            delta,
            "–" if target is None else fmt(target.target, tile.unit, lang, cur),
            "–" if ratio is None else fmt(ratio, "percent", lang),
        ]
        for c, v in enumerate(values):
            cell = table.cell(r, c)
            cell.text = v
            para = cell.text_frame.paragraphs[0]
            para.font.size = Pt(16)
            if c >= 2:
                para.alignment = PP_ALIGN.RIGHT
        light = table.cell(r, 0)
        light.fill.solid()
        light.fill.fore_color.rgb = LIGHTS[tile.state]


def _global_target(prs: Any, report: Report) -> None:
    slide = _blank(prs, report, _t("global_target", report))
    t = report.global_target
    if t is None:
        _text(slide, MARGIN, TOP, WIDTH - 2 * MARGIN, Inches(1), _t("no_target", report), 20, MUTED)
        return
    data = CategoryChartData(number_format="#,##0")
    data.categories = [
        f"{_t('target', report)} {t.period}",
        _t("expected_to_date", report),
        _t("actual_to_date", report),
    ]
    data.add_series(
        report.tiles[2].label, (t.target, t.expected_to_date or 0, t.actual_to_date or 0)
    )
    _chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        data,
        MARGIN,
        TOP,
        Inches(8),
        Inches(5.4),
        legend=False,
    )
    lang, cur = report.lang, report.currency
    lines = [
        (f"{_t('pace', report)}: {fmt(t.pace, 'percent', lang)}", 28, True),
        (
            f"{_t('actual_to_date', report)}: {fmt(t.actual_to_date, 'currency', lang, cur)}",
            16,
            False,
        ),
        (
            f"{_t('expected_to_date', report)}: {fmt(t.expected_to_date, 'currency', lang, cur)}",
            16,
            False,
        ),
        (f"{_t('target', report)} {t.period}: {fmt(t.target, 'currency', lang, cur)}", 16, False),
    ]
    y = TOP + Inches(0.4)
    for text, size, bold in lines:
        _text(slide, Inches(9), y, Inches(3.8), Inches(0.7), text, size, INK, bold)
        y += Inches(0.8)


def _funnel(prs: Any, report: Report) -> None:
    section = report.section("funnel")
    slide = _blank(prs, report, section.view.title[report.lang] if section else "Funnel")
    if section is None or not section.rows:
        return
    row = section.rows[0]
    labels = {k.name: k.label[report.lang] for k in report.definitions}
    data = CategoryChartData(number_format="#,##0")
    metrics = list(section.view.metrics)
    data.categories = [labels[m] for m in reversed(metrics)]
    data.add_series(labels[metrics[0]], [row.get(m) or 0 for m in reversed(metrics)])
    _chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        data,
        MARGIN,
        TOP,
        WIDTH - 2 * MARGIN,
        Inches(5.5),
        legend=False,
    )


def _campaigns(prs: Any, report: Report) -> None:
    slide = _blank(prs, report, _t("campaigns_vs_targets", report))
    section = report.section("campaigns")
    if section is None:
        return
    # running campaigns are judged by pace, finished ones by achievement (as the traffic lights)
    ratio = {
        t.scope["campaign"]: (t.pace if t.elapsed < 1 else t.achievement)
        for t in section.table.targets
        if t.metric == "leads" and set(t.scope) == {"campaign"}
    }
    with_target = [
        {**r, "ratio": ratio[r["campaign"]]}
        for r in section.rows
        if r.get("campaign") in ratio and ratio[r["campaign"]] is not None
    ]
    with_target.sort(key=lambda r: -r["ratio"])
    picks = [
        ("top", with_target[:5]),
        ("bottom", with_target[-5:][::-1] if len(with_target) > 5 else []),
    ]
    x = MARGIN
    width = (WIDTH - 3 * MARGIN) / 2
    labels = {k.name: k.label[report.lang] for k in report.definitions}
    for key, rows in picks:
        if not rows:
            continue
        _text(slide, x, TOP - Inches(0.1), width, Inches(0.4), _t(key, report), 16, MUTED, True)
        data = CategoryChartData(number_format="#,##0")
        data.categories = [
            f"{r['campaign']} ({fmt(r['ratio'], 'percent', report.lang)})" for r in rows
        ]
        data.add_series(labels["leads"], [r.get("leads") or 0 for r in rows])
        data.add_series(TEXT["target"][report.lang], [r.get("leads_target") or 0 for r in rows])
        _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, x, TOP + Inches(0.35), width, Inches(5.2))
        x += width + MARGIN


def _budget(prs: Any, report: Report) -> None:
    slide = _blank(prs, report, _t("budget_usage", report))
    section = report.section("budget_month")
    if section is None or not section.rows:
        return
    labels = {k.name: k.label[report.lang] for k in report.definitions}
    data = CategoryChartData(number_format="#,##0")
    data.categories = [str(r["month"]) for r in section.rows]
    for m in ("budget_planned", "cost"):
        data.add_series(labels[m], [r.get(m) or 0 for r in section.rows])
    _chart(
        slide, XL_CHART_TYPE.COLUMN_CLUSTERED, data, MARGIN, TOP, WIDTH - 2 * MARGIN, Inches(5.5)
    )


def _handover(prs: Any, report: Report) -> None:
    slide = _blank(prs, report, _t("handover", report))
    section = report.section("handover_team")
    if section is None or not section.rows:
        return
    rows = [r for r in section.rows if r.get("team") is not None]
    labels = {k.name: k.label[report.lang] for k in report.definitions}
    data = CategoryChartData(number_format="#,##0.0")
    data.categories = [str(r["team"]) for r in rows]
    for m in ("acceptance_delay_median_h", "acceptance_delay_p90_h"):
        data.add_series(labels[m], [r.get(m) or 0 for r in rows])
    _chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        data,
        MARGIN,
        TOP,
        Inches(8.6),
        Inches(5.5),
        number_format="0",
    )
    tiles = {t.metric: t for t in report.tiles}
    lang, y = report.lang, TOP + Inches(0.3)
    for metric in ("acceptance_rate", "overdue_handover"):
        tile = tiles[metric]
        _text(slide, Inches(9.4), y, Inches(3.5), Inches(0.5), tile.label, 14, MUTED)
        _text(
            slide,
            Inches(9.4),
            y + Inches(0.4),
            Inches(3.5),
            Inches(0.8),
            fmt(tile.value, tile.unit, lang),
            32,
            LIGHTS[tile.state] if tile.state != "grey" else INK,
            True,
        )
        y += Inches(1.5)


def _alerts(prs: Any, report: Report) -> None:
    slide = _blank(prs, report, _t("alerts", report))
    lang = report.lang
    if not report.alerts:
        _text(slide, MARGIN, TOP, WIDTH - 2 * MARGIN, Inches(1), _t("no_alerts", report), 20, MUTED)
        return
    y = TOP
    for a in report.alerts[:MAX_ALERTS]:
        badge = slide.shapes.add_shape(1, MARGIN, y + Inches(0.05), Inches(1.1), Inches(0.36))
        badge.fill.solid()
        badge.fill.fore_color.rgb = SEVERITY_COLOURS[a["severity"]]
        badge.line.fill.background()
        badge.text_frame.text = SEVERITY[a["severity"]][lang]
        badge.text_frame.paragraphs[0].font.size = Pt(12)
        badge.text_frame.paragraphs[0].font.color.rgb = WHITE
        scope = ", ".join(
            f"{dimension_label(d, lang)} {v or '–'}" for d, v in sorted(a["scope"].items())
        )
        _text(
            slide,
            MARGIN + Inches(1.25),
            y,
            Inches(10.8),
            Inches(0.35),
            f"{rule_name(a['rule'], lang)} · {scope or 'global'}",
            13,
            MUTED,
            True,
        )
        _text(
            slide,
            MARGIN + Inches(1.25),
            y + Inches(0.3),
            Inches(10.8),
            Inches(0.45),
            a["recommendation"][lang],
            14,
        )
        y += Inches(0.88)
    if len(report.alerts) > MAX_ALERTS:
        more = TEXT["more_alerts"][lang].format(n=len(report.alerts) - MAX_ALERTS)
        _text(slide, MARGIN + Inches(1.25), y, Inches(10.8), Inches(0.4), more, 12, MUTED)
