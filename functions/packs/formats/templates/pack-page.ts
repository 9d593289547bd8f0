/**
 * The learning pack's page, a nunjucks template using the GOV.UK Design System's markup
 * (govuk-frontend's own component templates show the classes). It is a string module rather than a
 * .njk file so that esbuild bundles it into the Lambda with no loader or file copying. The page
 * has no script and loads nothing: the CSS is inlined, and charts are inline SVG.
 */
export const PACK_PAGE_TEMPLATE = `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
<meta charset="utf-8">
<title>{{ pack.title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{{ css | safe }}</style>
<style>{{ pageCss | safe }}</style>
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="app-pack-header">
<div class="govuk-width-container">
<p class="govuk-body govuk-!-margin-0 govuk-!-padding-top-3 govuk-!-padding-bottom-3 app-pack-header__text">HMPPS community link worker early testing</p>
</div>
</header>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
<span class="govuk-caption-l">Learning pack, version {{ pack.version }}</span>
<h1 class="govuk-heading-xl">{{ pack.title }}</h1>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Period</dt><dd class="govuk-summary-list__value">{{ period }}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Sites</dt><dd class="govuk-summary-list__value">{{ sites }}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Version</dt><dd class="govuk-summary-list__value">{{ pack.version }}</dd></div>
{% if pack.changes %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Changes in this version</dt><dd class="govuk-summary-list__value">{{ pack.changes }}</dd></div>{% endif %}
</dl>
<nav class="app-contents" aria-labelledby="contents-heading">
<h2 class="govuk-heading-m" id="contents-heading">Contents</h2>
<ol class="govuk-list govuk-list--number">
{% for section in sections %}<li><a class="govuk-link" href="#{{ section.anchor }}">{{ section.title }}</a></li>
{% endfor %}<li><a class="govuk-link" href="#symbols-and-disclosure">Symbols and disclosure control</a></li>
</ol>
</nav>
{% for section in sections %}
<section class="app-section" aria-labelledby="{{ section.anchor }}">
<h2 class="govuk-heading-l" id="{{ section.anchor }}">{{ section.title }}</h2>
{% if section.outcomes %}<p class="govuk-body-s govuk-!-text-colour-secondary">Outcomes: {{ section.outcomes }}</p>{% endif %}
{% for paragraph in section.paragraphs %}<p class="govuk-body">{{ paragraph }}</p>
{% endfor %}
{% for item in section.tables %}
<div class="app-table-pair">
{% if item.chart %}
<figure class="app-chart" aria-labelledby="{{ item.anchor }}-chart-caption">
<figcaption class="govuk-body-s govuk-!-font-weight-bold" id="{{ item.anchor }}-chart-caption">Chart of table {{ item.number }}: {{ item.table.title }}. The same figures are in the table below.</figcaption>
<svg class="app-chart__svg" role="img" aria-labelledby="{{ item.anchor }}-chart-title {{ item.anchor }}-chart-desc" viewBox="0 0 {{ item.chart.width }} {{ item.chart.height }}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
<title id="{{ item.anchor }}-chart-title">Bar chart of table {{ item.number }}</title>
<desc id="{{ item.anchor }}-chart-desc">{{ item.chart.description }}</desc>
{% for key in item.chart.legend %}<rect x="0" y="{{ key.y + 3 }}" width="16" height="16" fill="{{ key.colour }}"/><text x="24" y="{{ key.y + 17 }}" class="app-chart__text">{{ key.label }}</text>
{% endfor %}
{% for group in item.chart.groups %}<text x="0" y="{{ group.y + 17 }}" class="app-chart__text app-chart__text--bold">{{ group.label }}</text>
{% for bar in group.bars %}<rect x="0" y="{{ bar.y }}" width="{{ bar.length }}" height="18" fill="{{ bar.colour }}"/><text x="{{ bar.textX }}" y="{{ bar.y + 15 }}" class="app-chart__text">{{ bar.text }}</text>
{% endfor %}{% endfor %}
</svg>
</figure>
{% endif %}
<div class="app-table-scroll" role="region" aria-labelledby="{{ item.anchor }}" tabindex="0">
<table class="govuk-table" id="{{ item.anchor }}-table">
<caption class="govuk-table__caption govuk-table__caption--m" id="{{ item.anchor }}">Table {{ item.number }}: {{ item.table.title }}</caption>
<thead class="govuk-table__head">
<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">{{ item.table.rowHeader }}</th>{% for column in item.columns %}<th scope="col" class="govuk-table__header govuk-table__header--numeric{% if column.total %} app-total{% endif %}">{{ column.label }}</th>{% endfor %}</tr>
</thead>
<tbody class="govuk-table__body">
{% for row in item.rows %}<tr class="govuk-table__row{% if row.total %} app-total-row{% endif %}"><th scope="row" class="govuk-table__header">{{ row.label }}</th>{% for cell in row.cells %}<td class="govuk-table__cell govuk-table__cell--numeric{% if cell.total %} app-total{% endif %}">{{ cell.text }}{% if cell.meaning %}<span class="govuk-visually-hidden"> ({{ cell.meaning }})</span>{% endif %}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
</div>
{% if item.table.description %}<p class="govuk-body-s">{{ item.table.description }}</p>{% endif %}
{% if item.rounded %}<p class="govuk-body-s">Some figures are rounded, so rows and columns may not add up to their totals.</p>{% endif %}
{% for note in item.table.notes %}<p class="govuk-body-s">{{ note }}</p>
{% endfor %}
{% if item.symbols %}<p class="govuk-body-s">Symbols: {{ item.symbols }}.</p>{% endif %}
</div>
{% endfor %}
{% if section.quotes.length %}
<h3 class="govuk-heading-m">What people said</h3>
{% for quote in section.quotes %}
<figure class="app-quote">
<blockquote class="govuk-inset-text govuk-!-margin-bottom-1"><p class="govuk-body">{{ quote.text }}</p></blockquote>
<figcaption class="govuk-body-s govuk-!-margin-bottom-6">{{ quote.respondentGroup }}, on {{ quote.theme }}</figcaption>
</figure>
{% endfor %}
{% endif %}
</section>
{% endfor %}
<section class="app-section" aria-labelledby="symbols-and-disclosure">
<h2 class="govuk-heading-l" id="symbols-and-disclosure">Symbols and disclosure control</h2>
<p class="govuk-body">Some figures are not shown, so that nobody in these small programmes can be identified. Where a figure is missing, the table shows one of these symbols.</p>
<dl class="govuk-summary-list">
{% for symbol in symbols %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{{ symbol.symbol }}</dt><dd class="govuk-summary-list__value">{{ symbol.meaning }}</dd></div>
{% endfor %}</dl>
<h3 class="govuk-heading-m">Rules applied</h3>
<p class="govuk-body">Disclosure policy version {{ pack.disclosure.policyVersion }}: groups smaller than {{ pack.disclosure.threshold }} are not shown.</p>
<ul class="govuk-list govuk-list--bullet">
{% for rule in pack.disclosure.rules %}<li>{{ rule }}</li>
{% endfor %}</ul>
<p class="govuk-body">{{ suppressedText }} Before publication every figure in the pack was checked to make sure no suppressed figure can be worked out from the others ({{ auditText }}).</p>
</section>
</main>
</div>
</body>
</html>
`;

/** The page's own styles: the charts, tables that scroll sideways on a phone, and print. */
export const PACK_PAGE_CSS = `
.app-pack-header{background:#1d70b8;color:#fff}
.app-pack-header__text{color:#fff}
.app-section{margin-bottom:40px}
.app-table-pair{margin-bottom:40px;break-inside:avoid-page}
.app-chart{margin:0 0 20px}
.app-chart__svg{max-width:560px;display:block}
.app-chart__text{font-family:arial,sans-serif;font-size:16px;fill:#0b0c0c}
.app-chart__text--bold{font-weight:700}
.app-table-scroll{overflow-x:auto;position:relative}
.app-table-scroll:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:inset 0 0 0 4px #0b0c0c}
.app-total,.app-total-row td{font-weight:700}
.app-quote,.app-quote blockquote{margin-left:0;margin-right:0}
@media print{
.govuk-skip-link,.app-contents{display:none}
.app-pack-header{background:none;color:#000;border-bottom:2px solid #000}
.app-pack-header__text{color:#000}
.app-table-scroll{overflow:visible}
.govuk-table{font-size:10pt}
thead{display:table-header-group}
tr,.app-chart{break-inside:avoid}
.app-section{break-before:page}
.govuk-link[href^="#"]:after{content:none}
}
`;
