// The progress dashboard's charts: ECharts (vendored) drawn from the json_script data; no inline code (CSP).
(function () {
  "use strict";
  var source = document.getElementById("dash-charts");
  if (!source || typeof echarts === "undefined") return;
  var charts = JSON.parse(source.textContent);
  var drawn = [];
  var narrow = window.matchMedia("(max-width: 575.98px)").matches;

  function axisOptions(chart, horizontal, stacked) {
    var series = chart.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.data, stack: stacked ? "all" : undefined,
               emphasis: { focus: "series" } };
    });
    var category = { type: "category", data: chart.x, axisLabel: { interval: 0, hideOverlap: true, fontSize: 11 } };
    var value = { type: "value", minInterval: 1 };
    return {
      tooltip: { trigger: "axis", confine: true },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : value,
      series: series
    };
  }

  var builders = {
    monthly: function (c) { return axisOptions(c, false, true); },
    kinds: function (c) { return axisOptions(c, false, false); },
    children: function (c) {
      var o = axisOptions(c, true, false);
      o.xAxis.max = 100;
      return o;
    },
    obligations: function (c) {
      return {
        tooltip: { trigger: "item", confine: true, formatter: "{b}:{c}({d}%)" },
        legend: { bottom: 0, textStyle: { fontSize: 11 } },
        color: ["#198754", "#ffc107", "#dc3545"],
        series: [{ type: "pie", radius: narrow ? ["30%", "60%"] : ["35%", "65%"], data: c.pie,
                   label: { formatter: "{b}\n{c}", fontSize: 11 } }]
      };
    }
  };

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var key = el.dataset.chart;
    if (!charts[key] || !builders[key]) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(builders[key](charts[key]));
    drawn.push(chart);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
