// Usage: node make_fixtures.js <out folder>
// Trains small models with real TF.js and saves them the way TF.js and ml5 0.x do, plus the
// inputs and TF.js's own predictions (expected.json) so py5ml can be checked against them:
//   tfjs_dense/             model.save() of a Dense model trained in node
//   ml5_feature_extractor/  ml5 featureExtractor head: Flatten [7,7,256] -> Dense relu -> Dense softmax,
//                           model.json = {modelTopology, weightsManifest, ml5Specs: {mapStringToIndex}}
//   ml5_neural_network/     ml5 neuralNetwork: model.json, model_meta.json, model.weights.bin
//   sharded/                the tfjs_dense weights split over 2 manifest groups and 3 shard files,
//                           listed in a different order from the layers (lookup must be by name)
const fs = require('fs');
const path = require('path');
const { tf, loadModel, saveModel } = require('./tfjs_files');

const rand = (n, scale = 1) => Array.from({ length: n }, (_, i) => scale * Math.abs(Math.sin(i * 12.9898 + 78.233)));

function writeJSON(file, data) { fs.writeFileSync(file, JSON.stringify(data)); }

async function fitQuietly(model, xs, ys, loss) {
  model.compile({ optimizer: tf.train.adam(0.01), loss });
  await model.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false });
}

async function expectations(model, dir, inputs) {
  writeJSON(path.join(dir, 'inputs.json'), inputs);
  writeJSON(path.join(dir, 'expected.json'), model.predict(tf.tensor(inputs)).arraySync());
}

async function tfjsDense(out) {
  const model = tf.sequential({ layers: [
    tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [4] }),
    tf.layers.dropout({ rate: 0.2 }),
    tf.layers.dense({ units: 6, activation: 'elu' }),
    tf.layers.activation({ activation: 'relu6' }),
    tf.layers.dense({ units: 2, activation: 'sigmoid', useBias: false }),
  ] });
  const xs = tf.tensor(rand(64 * 4), [64, 4]);
  await fitQuietly(model, xs, tf.tensor(rand(64 * 2), [64, 2]), 'meanSquaredError');
  const dir = path.join(out, 'tfjs_dense');
  await saveModel(model, dir);
  await expectations(model, dir, tf.tensor(rand(5 * 4, 2), [5, 4]).arraySync());
  return model;
}

async function ml5FeatureExtractor(out) {
  // Mobilenet.js train(): hiddenUnits 100 by default; 4 here keeps the committed file small.
  const model = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [7, 7, 256] }),
    tf.layers.dense({ units: 4, activation: 'relu', kernelInitializer: 'varianceScaling', useBias: true }),
    tf.layers.dense({ units: 3, kernelInitializer: 'varianceScaling', useBias: false, activation: 'softmax' }),
  ] });
  const xs = tf.tensor(rand(12 * 7 * 7 * 256, 0.02), [12, 7, 7, 256]);
  await fitQuietly(model, xs, tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3), 'categoricalCrossentropy');
  const dir = path.join(out, 'ml5_feature_extractor');
  await model.save(tf.io.withSaveHandler(async (data) => {
    fs.mkdirSync(dir, { recursive: true });
    const json = {
      modelTopology: data.modelTopology,
      weightsManifest: [{ paths: ['./model.weights.bin'], weights: data.weightSpecs }],
      ml5Specs: { mapStringToIndex: ['rock', 'paper', 'scissors'] },
    };
    fs.writeFileSync(path.join(dir, 'model.weights.bin'), Buffer.from(data.weightData));
    writeJSON(path.join(dir, 'model.json'), json);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  // One 7x7x256 input, stored as raw float32 (as JSON it would be ten times larger).
  const input = tf.tensor(rand(7 * 7 * 256, 0.03), [1, 7, 7, 256]);
  fs.writeFileSync(path.join(dir, 'inputs.bin'), Buffer.from(input.dataSync().buffer));
  writeJSON(path.join(dir, 'expected.json'), model.predict(input).arraySync());
}

async function ml5NeuralNetwork(out) {
  // ml5 0.x classification defaults: dense(hiddenUnits 16, relu) -> dense(outputUnits, softmax).
  const labels = ['red-ish', 'green-ish', 'blue-ish'];
  const model = tf.sequential({ layers: [
    tf.layers.dense({ units: 16, activation: 'relu', inputShape: [3] }),
    tf.layers.dense({ units: labels.length, activation: 'softmax' }),
  ] });
  const xs = tf.tensor(rand(30 * 3), [30, 3]);
  await fitQuietly(model, xs, tf.oneHot(tf.tensor1d(Array.from({ length: 30 }, (_, i) => i % 3), 'int32'), 3), 'categoricalCrossentropy');
  const dir = path.join(out, 'ml5_neural_network');
  await model.save(tf.io.withSaveHandler(async (data) => {
    fs.mkdirSync(dir, { recursive: true });
    writeJSON(path.join(dir, 'model.json'), {
      modelTopology: data.modelTopology,
      weightsManifest: [{ paths: ['./model.weights.bin'], weights: data.weightSpecs }],
    });
    fs.writeFileSync(path.join(dir, 'model.weights.bin'), Buffer.from(data.weightData));
    const legend = {};
    labels.forEach((label, i) => { legend[label] = labels.map((_, j) => (i === j ? 1 : 0)); });
    const channel = { dtype: 'number', min: 0, max: 255 };
    writeJSON(path.join(dir, 'model_meta.json'), {
      inputUnits: [3],
      outputUnits: 3,
      inputs: { r: channel, g: channel, b: channel },
      outputs: { label: { dtype: 'string', min: 0, max: 1, uniqueValues: labels, legend } },
      isNormalized: true,
    });
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  await expectations(model, dir, [[0.9, 0.1, 0.1], [0.1, 0.8, 0.2], [0.2, 0.1, 0.95]]);
}

async function sharded(out) {
  const src = path.join(out, 'tfjs_dense');
  const dir = path.join(out, 'sharded');
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(src, 'model.json'), 'utf8'));
  const bytes = fs.readFileSync(path.join(src, 'model.weights.bin'));
  const specs = json.weightsManifest[0].weights;
  const sizes = specs.map((s) => s.shape.reduce((a, b) => a * b, 1) * 4);
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  const slice = (idx) => Buffer.concat(idx.map((i) => bytes.subarray(offsets[i], offsets[i] + sizes[i])));
  // Group A: the last two weights, split across two shards. Group B: the first three, one shard.
  const groupA = slice([specs.length - 1, specs.length - 2]);
  const cut = 10;
  fs.writeFileSync(path.join(dir, 'group1-shard1of2.bin'), groupA.subarray(0, cut));
  fs.writeFileSync(path.join(dir, 'group1-shard2of2.bin'), groupA.subarray(cut));
  fs.writeFileSync(path.join(dir, 'group2-shard1of1.bin'), slice([0, 1, 2]));
  json.weightsManifest = [
    { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [specs[specs.length - 1], specs[specs.length - 2]] },
    { paths: ['./group2-shard1of1.bin'], weights: specs.slice(0, 3) },
  ];
  writeJSON(path.join(dir, 'model.json'), json);
  const again = await loadModel(path.join(dir, 'model.json'));
  await expectations(again, dir, JSON.parse(fs.readFileSync(path.join(src, 'inputs.json'), 'utf8')));
}

async function main() {
  const out = process.argv[2];
  await tfjsDense(out);
  await ml5FeatureExtractor(out);
  await ml5NeuralNetwork(out);
  await sharded(out);
}

main().catch((error) => { console.error(error); process.exit(1); });
