// The dashboard's script in the browser: draws the completion chart with echarts, and runs the simulator's
// chat. Served as is from /dashboard/assets/dashboard.js; the figures come in the page, never from here.
(function () {
  'use strict';

  // The chart's colours (on schedule, behind it, 序时进度) come in the page's data, as the documents' chart has them.
  function drawChart() {
    var box = document.getElementById('progress-chart');
    var source = document.getElementById('chart-data');
    if (!box || !source || typeof echarts === 'undefined') return;
    var data = JSON.parse(source.textContent);
    var colours = data.colours;
    // SVG: the labels are text in the page (readable, selectable, and checked whole by the tests).
    var chart = echarts.init(box, null, { renderer: 'svg' });
    chart.on('finished', function () {
      box.setAttribute('data-drawn', 'true');
    });
    var rates = data.rate.map(Number);
    // The bars' kinds present, in the legend's order, and their names.
    var names = { rate: data.names.rate, behind: data.names.rateBehind, level: data.names.rateLevel };
    var kinds = ['rate', 'behind', 'level'].filter(function (kind) { return data.kind.indexOf(kind) >= 0; });
    // null: a level's bar, which has no 序时进度 mark (it is measured against its target only).
    var elapsed = data.elapsed.map(function (value) { return value == null ? null : Number(value); });
    var measure = document.createElement('canvas').getContext('2d');

    // A value label goes right of its bar; where the 序时进度 mark would run through it, right of the mark.
    function offsets() {
      measure.font = '12px sans-serif';
      return rates.map(function (rate, index) {
        if (elapsed[index] == null) return 0;
        var bar = chart.convertToPixel({ xAxisIndex: 0 }, Math.max(rate, 0));
        var mark = chart.convertToPixel({ xAxisIndex: 0 }, elapsed[index]);
        var width = measure.measureText(data.rate[index] + '%').width;
        var start = bar + 5;
        return mark + 3 < start || mark - 3 > start + width ? 0 : Math.ceil(mark + 4 - bar);
      });
    }

    function option(shift, width) {
      // Names broken into lines, never cut: a third of the chart's width, at most 220 px.
      var labelWidth = Math.max(80, Math.min(220, Math.floor(width * 0.3)));
      return {
        animation: false,
        grid: { left: 8, right: 64, top: width < 560 ? 56 : 36, bottom: 8, containLabel: true },
        legend: {
          top: 0,
          // The 序时进度 mark's own shape in the legend, an upright tick, not a block like a bar's.
          data: kinds.map(function (kind) { return names[kind]; }).concat([{ name: data.names.elapsed, icon: 'path://M11,0h3v14h-3z' }]),
        },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: function (value) { return value == null ? '' : value + '%'; } },
        xAxis: { type: 'value', splitNumber: width < 560 ? 3 : 5, axisLabel: { formatter: '{value}%' } },
        yAxis: {
          type: 'category',
          inverse: true,
          data: data.labels,
          axisLabel: { width: labelWidth, overflow: 'break', lineHeight: 15 },
        },
        // On schedule, behind it, and levels (against their target only): a series each, in one place per
        // indicator, so that the legend shows each colour with its meaning.
        series: kinds
          .map(function (kind) {
            return {
              name: names[kind],
              type: 'bar',
              barGap: '-100%',
              barMaxWidth: 18,
              itemStyle: { color: colours[kind] },
              data: rates.map(function (value, index) {
                if (data.kind[index] !== kind) return null;
                return { value: value, label: { offset: [shift[index] || 0, 0] } };
              }),
              label: {
                show: true,
                position: 'right',
                formatter: function (p) { return p.value == null ? '' : data.rate[p.dataIndex] + '%'; },
              },
            };
          })
          .concat([{
            name: data.names.elapsed,
            type: 'scatter',
            symbol: 'rect',
            symbolSize: [3, 26],
            z: 3,
            itemStyle: { color: colours.elapsed, opacity: 1 },
            data: elapsed,
          }]),
      };
    }

    function draw() {
      var width = box.clientWidth;
      chart.setOption(option([], width), true);
      chart.setOption(option(offsets(), width), true);
    }
    draw();
    window.addEventListener('resize', function () {
      chart.resize();
      draw();
    });
  }

  function runSimulator() {
    var transcript = document.getElementById('transcript');
    var form = document.getElementById('say');
    if (!transcript || !form) return;
    var member = transcript.getAttribute('data-member');
    var input = document.getElementById('text');
    var last = 0;

    function show(entries) {
      entries.forEach(function (entry) {
        if (entry.seq <= last) return;
        last = entry.seq;
        var line = document.createElement('p');
        line.className = entry.from;
        line.textContent = entry.text;
        transcript.appendChild(line);
      });
      transcript.scrollTop = transcript.scrollHeight;
    }

    function fetchEntries() {
      return fetch('/dashboard/simulator/entries?member=' + encodeURIComponent(member) + '&after=' + last, { credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : { entries: [] }; })
        .then(function (body) { show(body.entries || []); });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = '';
      fetch('/dashboard/simulator/send', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ member: member, text: text }),
      }).then(fetchEntries);
    });
    // Reminders and answers sent later (a retry, the outbox's sweep) show up too.
    setInterval(fetchEntries, 3000);
    fetchEntries();
  }

  drawChart();
  runSimulator();
})();
