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

// Target achievement as a traffic light: green from 100 %, amber from 80 %, red below.
dagfuncs.achievementStyle = function (value) {
  if (value === null || value === undefined) {
    return null;
  }
  if (value >= 1) {
    return { color: "#1e8449", fontWeight: 600 };
  }
  return value >= 0.8 ? { color: "#d68910", fontWeight: 600 } : { color: "#c0392b", fontWeight: 600 };
};
