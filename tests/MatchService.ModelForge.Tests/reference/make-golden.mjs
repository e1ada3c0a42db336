// Runs the reference implementation (@vladmandic/face-api 1.7.15 on TensorFlow.js 4.22's WASM backend) on the
// package's sample photos and writes the golden file that the ModelForge equivalence tests compare against.
// A manual step, never run in CI:
//
//   mkdir -p .cache/reference && cp tests/MatchService.ModelForge.Tests/reference/package*.json .cache/reference/
//   (cd .cache/reference && npm ci --no-audit --no-fund)
//   node tests/MatchService.ModelForge.Tests/reference/make-golden.mjs
//
// Pixels: each JPEG is decoded by Debian's `djpeg -ppm` (libjpeg-turbo, the decoder the service uses), parsed here
// and turned into a tensor with tf.tensor3d, so the C# tests, decoding with the same djpeg, see identical input.
//
// Recognition net normalisation: face-api 1.7.15 computes (rgb - mean) / 255, while dlib (which trained the weights)
// and the original face-api.js divide by 256. We follow dlib: the ONNX model's config.json says std 256, and this
// script feeds the fork's net the crop rescaled about the mean by 255/256, so that its own "/ 255" yields exactly
// (rgb - mean) / 256. The fork's plain "/ 255" descriptor is kept too (descriptor_div255) for comparison.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const referenceDir = process.env.REFERENCE_DIR ?? path.join(repo, '.cache/reference');
const faceApiDir = process.env.FACE_API_DIR ?? path.join(repo, '.cache/npm/face-api-1.7.15/package');
const out = process.env.GOLDEN_OUT ?? path.join(here, '../golden/face-api-reference.json');

const require = createRequire(path.join(referenceDir, 'package.json'));
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const MIN_CONFIDENCE = 0.5;
const DLIB_MEAN = [122.782, 117.001, 104.298];

/** Decodes a JPEG with djpeg and parses the binary PPM (P6, maxval 255). */
function decodeWithDjpeg(file) {
  const ppm = execFileSync('djpeg', ['-ppm', file], { maxBuffer: 1 << 28 });
  let pos = 0;
  const token = () => {
    while (ppm[pos] === 0x20 || ppm[pos] === 0x0a || ppm[pos] === 0x0d || ppm[pos] === 0x09) pos++;
    const start = pos;
    while (!(ppm[pos] === 0x20 || ppm[pos] === 0x0a || ppm[pos] === 0x0d || ppm[pos] === 0x09)) pos++;
    return ppm.subarray(start, pos).toString('ascii');
  };
  if (token() !== 'P6') throw new Error(`${file}: djpeg did not write a P6 PPM`);
  const width = Number(token());
  const height = Number(token());
  if (Number(token()) !== 255) throw new Error(`${file}: unexpected PPM maxval`);
  pos++; // the single whitespace byte after maxval
  const rgb = ppm.subarray(pos, pos + width * height * 3);
  return { width, height, rgb: Int32Array.from(rgb) };
}

/** The 512x512 detector input face-api builds (pad bottom/right to square, legacy bilinear), probed at fixed points. */
function detectorInputProbe(image) {
  return tf.tidy(() => {
    const netInput = faceapi.tf.cast(image, 'float32').expandDims(0);
    const square = faceapi.padToSquare(netInput, false);
    const resized = tf.image.resizeBilinear(square, [512, 512], false, false);
    const data = resized.dataSync();
    const probe = [];
    for (let i = 0; i < 64; i++) {
      const y = (i * 37 + 11) % 512;
      const x = (i * 101 + 5) % 512;
      const c = i % 3;
      probe.push({ y, x, c, value: data[(y * 512 + x) * 3 + c] });
    }
    return probe;
  });
}

/** face-api's recognition-net input: the crop padded to a centred square (black), legacy bilinear to 150x150. */
function recognitionInput(faceTensor) {
  return tf.tidy(() => {
    const square = faceapi.padToSquare(faceapi.tf.cast(faceTensor, 'float32').expandDims(0), true);
    return tf.image.resizeBilinear(square, [150, 150], false, false).squeeze([0]);
  });
}

async function descriptorOf(tensor3d) {
  return Array.from(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(tensor3d));
}

const round = (v, digits = 6) => Number(v.toFixed(digits));
const boxJson = (b) => ({ x: b.x, y: b.y, width: b.width, height: b.height });

async function main() {
  wasm.setWasmPaths(path.join(referenceDir, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
  await tf.setBackend('wasm');
  await tf.ready();
  const modelDir = path.join(faceApiDir, 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);

  const samples = [];
  for (let n = 1; n <= 6; n++) {
    const file = `sample${n}.jpg`;
    const started = Date.now();
    const { width, height, rgb } = decodeWithDjpeg(path.join(faceApiDir, 'demo', file));
    const image = tf.tensor3d(rgb, [height, width, 3], 'int32');

    // Detector, raw: decoded boxes and scores of every anchor, before NMS (the top 64 by score are kept).
    const netInput = await faceapi.toNetInput(image);
    const raw = faceapi.nets.ssdMobilenetv1.forwardInput(netInput);
    const rawBoxes = raw.boxes[0].arraySync();
    const rawScores = Array.from(raw.scores[0].dataSync());
    raw.boxes.forEach((t) => t.dispose());
    raw.scores.forEach((t) => t.dispose());
    const topAnchors = rawScores.map((score, index) => ({ index, score }))
      .sort((a, b) => b.score - a.score).slice(0, 64)
      .map(({ index, score }) => ({ index, score: round(score), box: rawBoxes[index].map((v) => round(v)) }));

    // Full face-api pipeline: detection (NMS, minConfidence 0.5), landmarks on the detection crop, dlib alignment.
    const results = await faceapi.detectAllFaces(image, new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_CONFIDENCE }))
      .withFaceLandmarks();
    const faces = [];
    for (const res of results) {
      const landmarkCrop = res.detection.box.clipAtImageBorders(width, height);
      const aligned = res.landmarks.align(null, { useDlibAlignment: true });
      const [crop] = await faceapi.extractFaceTensors(image, [aligned]);
      const input150 = recognitionInput(crop);
      const dlibScaled = tf.tidy(() => tf.add(tf.mul(tf.sub(input150, DLIB_MEAN), 255 / 256), DLIB_MEAN));
      const descriptor = await descriptorOf(dlibScaled);
      const descriptor255 = await descriptorOf(input150);
      tf.dispose([crop, input150, dlibScaled]);
      faces.push({
        score: round(res.detection.score),
        box: boxJson(res.detection.box),
        landmark_crop: boxJson(landmarkCrop),
        landmarks: res.landmarks.positions.map((p) => [round(p.x, 4), round(p.y, 4)]),
        aligned_crop: boxJson(aligned),
        descriptor: descriptor.map((v) => round(v, 7)),
        descriptor_div255: descriptor255.map((v) => round(v, 7)),
      });
    }
    samples.push({ file, width, height, detector_input_probe: detectorInputProbe(image), top_anchors: topAnchors, faces });
    image.dispose();
    console.log(`${file}: ${width}x${height}, ${faces.length} faces, ${Date.now() - started} ms`);
  }

  const golden = {
    reference: `@vladmandic/face-api ${faceapi.version}, @tensorflow/tfjs ${tf.version_core}, backend ${tf.getBackend()}`,
    produced_by: 'tests/MatchService.ModelForge.Tests/reference/make-golden.mjs',
    decoder: spawnSync('djpeg', ['-version'], { encoding: 'utf8' }).stderr.trim(),
    min_confidence: MIN_CONFIDENCE,
    recognition_normalisation: '(rgb - [122.782, 117.001, 104.298]) / 256 (dlib); descriptor_div255 is face-api 1.7.15 as shipped',
    samples,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(golden)}\n`);
  console.log(`wrote ${out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
