// The dashboard's charts: Apache ECharts (vendored under static/vendor/echarts),
// fed by the page's json_script data (no inline script: the CSP stays strict).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) { return; }
  var charts = JSON.parse(source.textContent);
  var red = "#b3261e", palette = [red, "#e57373", "#1565c0", "#64b5f6", "#9a6700"];
  charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    var option = {
      color: palette, animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true }
    };
    if (c.kind === "pyramid") {
      option.xAxis = { type: "value", axisLabel: { formatter: function (v) { return Math.abs(v); } } };
      option.yAxis = { type: "category", data: c.labels };
      option.series = c.series.map(function (s) {
        return { name: s.name, type: "bar", stack: s.side < 0 ? "men" : "women",
                 data: s.values.map(function (v) { return v * s.side; }) };
      });
      option.tooltip = { trigger: "axis", valueFormatter: function (v) { return Math.abs(v); } };
    } else {
      option.xAxis = { type: "category", data: c.labels, axisLabel: { rotate: c.labels.length > 6 ? 45 : 0 } };
      option.yAxis = { type: "value", axisLabel: { formatter: c.unit === "%" ? "{value}%" : "{value}" } };
      option.series = c.series.map(function (s) {
        return { name: s.name, type: c.kind, data: s.values, connectNulls: true, smooth: false };
      });
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
