import { describe, expect, it } from 'vitest';
import { drawChartPng } from '../../../src/app/reports/chart-thread.js';
import { decodePng } from '../../helpers/documents.js';

/*
 * The chart thread on its own: charts drawn side by side each get their own picture back, a chart that
 * cannot be drawn fails alone with a clear error, and the thread goes on drawing after it.
 */

const plain = (color: string) => ({
  option: { animation: false, backgroundColor: color, xAxis: { type: 'category', data: ['a'] }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: [1] }] },
  width: 40,
  height: 30,
  resvg: { background: '#ffffff', font: { loadSystemFonts: false } },
});

describe('the chart thread', () => {
  it('answers each chart with its own picture, several at once', async () => {
    const [a, b] = await Promise.all([drawChartPng({ ...plain('#ffffff'), width: 40 }), drawChartPng({ ...plain('#ffffff'), width: 64 })]);
    expect([decodePng(a).width, decodePng(b).width]).toEqual([40, 64]);
  });

  it('fails a chart echarts refuses, with the reason, and draws the next one', async () => {
    // A bar series with no x axis to stand on: echarts throws.
    const broken = { ...plain('#ffffff'), option: { series: [{ type: 'bar', data: [1] }] } };
    await expect(drawChartPng(broken)).rejects.toThrow(/the chart could not be drawn: Error: xAxis "0" not found/);
    await expect(drawChartPng({ ...plain('#ffffff'), width: 0, height: 0 })).rejects.toThrow(/the chart could not be drawn: Error: SVG has an invalid size/);
    expect(decodePng(await drawChartPng(plain('#ffffff'))).height).toBe(30);
  });
});
