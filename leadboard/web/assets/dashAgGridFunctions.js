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

// Target achievement as a traffic light: green on plan, amber within 20 %, red further off.
// Where lower is better (cost), staying at or under the target is on plan.
dagfuncs.achievementStyle = function (value, higherIsBetter) {
  if (value === null || value === undefined) {
    return null;
  }
  var green = { color: "#1e8449", fontWeight: 600 };
  var amber = { color: "#d68910", fontWeight: 600 };
  var red = { color: "#c0392b", fontWeight: 600 };
  if (higherIsBetter === false) {
    return value <= 1 ? green : value <= 1.2 ? amber : red;
  }
  return value >= 1 ? green : value >= 0.8 ? amber : red;
};
