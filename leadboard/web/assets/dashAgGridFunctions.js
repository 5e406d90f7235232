// Number formats of the grids, per unit and language (the same as the tiles').
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.kpi = function (value, unit, lang, currency) {
  if (value === null || value === undefined || value === "") {
    return "–";
  }
  var locale = lang === "de" ? "de-DE" : "en-GB";
  var options = { maximumFractionDigits: 0 };
  if (unit === "percent") {
    options = { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 };
  } else if (unit === "currency") {
    options = { style: "currency", currency: currency, maximumFractionDigits: 0 };
  } else if (unit === "hours" || unit === "ratio") {
    options = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  }
  return new Intl.NumberFormat(locale, options).format(value);
};
