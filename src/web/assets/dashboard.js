// The dashboard's script in the browser: draws the completion chart with echarts, and runs the simulator's
// chat. Served as is from /dashboard/assets/dashboard.js; the figures come in the page, never from here.
(function () {
  'use strict';

  function drawChart() {
    var box = document.getElementById('progress-chart');
    var source = document.getElementById('chart-data');
    if (!box || !source || typeof echarts === 'undefined') return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(box, null, { renderer: 'canvas' });
    chart.on('finished', function () {
      box.setAttribute('data-drawn', 'true');
    });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: data.labels,
        axisLabel: { width: 110, overflow: 'truncate' },
      },
      // On schedule in green, behind it in red: a series each, in one place per indicator, so that the
      // legend shows each colour with its meaning.
      series: [false, true]
        .filter(function (behind) {
          return data.behind.some(function (each, index) { return each === behind && data.rate[index] != null; });
        })
        .map(function (behind) {
          return {
            name: behind ? data.names.rateBehind : data.names.rate,
            type: 'bar',
            barGap: '-100%',
            itemStyle: { color: behind ? '#cf222e' : '#1a7f37' },
            data: data.rate.map(function (value, index) {
              return data.behind[index] === behind ? value : null;
            }),
            label: { show: true, position: 'right', formatter: function (p) { return p.value == null ? '' : p.value + '%'; } },
            barMaxWidth: 18,
          };
        })
        .concat([{
          name: data.names.elapsed,
          type: 'scatter',
          symbol: 'rect',
          symbolSize: [3, 22],
          itemStyle: { color: '#0b3d91' },
          data: data.elapsed,
        }]),
    });
    window.addEventListener('resize', function () {
      chart.resize();
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
