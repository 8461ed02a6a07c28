/*
 * The chart thread (see chart-thread.ts): draws a chart with echarts' server-side SVG renderer and
 * rasterises it with resvg, away from the main thread. Plain JavaScript: the thread runs without the
 * process's TypeScript loader. Every request carries everything it needs (echarts' option, the size,
 * resvg's options); the answer is the PNG, or the error's text.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);
// echarts' CommonJS build is one file: loaded once, when the thread starts.
const echarts = require('echarts');
const { Resvg } = require('@resvg/resvg-js');

parentPort.on('message', ({ id, option, width, height, resvg }) => {
  try {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
    let svg;
    try {
      chart.setOption(option);
      svg = chart.renderToSVGString();
    } finally {
      // Without it the renderer keeps a timer.
      chart.dispose();
    }
    const png = new Resvg(svg, resvg).render().asPng();
    const bytes = new Uint8Array(png);
    parentPort.postMessage({ id, png: bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
