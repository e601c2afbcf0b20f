// ml5 0.x's MobileNet v1 (alpha 0.25), rebuilt with real TF.js's layers API, for py5ml's tests.
//
// The weights folder's model.json may carry no topology, so the network is written here the way
// Keras' MobileNet(alpha=0.25) defines it, with TF.js's own layers (independently of py5ml's
// Python topology), and the weights are loaded by name. Pictures are prepared like ml5 0.x's
// imgToTensor: tf.image.resizeBilinear to 224x224, then x / 127 - 1.
//
// Usage: node mobilenet_v1.js <weights folder> <pictures.json> <out folder>
//   pictures.json: [{"file": "chelsea.bin", "shape": [300, 451, 3]}, ...] (raw uint8 RGB, beside it)
//   writes <out>/<i>.features.bin (7x7x256 float32) and <out>/<i>.probs.bin (1000 float32)
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const BLOCKS = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1],
  [512, 1], [512, 1], [1024, 2], [1024, 1]];

function bnRelu(x, name) {
  const bn = tf.layers.batchNormalization({ name: `${name}_bn`, epsilon: 0.001 }).apply(x);
  return tf.layers.activation({ name: `${name}_relu`, activation: 'relu6' }).apply(bn);
}

function mobilenetV1(alpha = 0.25) {
  const input = tf.input({ shape: [224, 224, 3], name: 'input_1' });
  let x = tf.layers.conv2d({ name: 'conv1', filters: 32 * alpha, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(input);
  x = bnRelu(x, 'conv1');
  BLOCKS.forEach(([filters, stride], i) => {
    const id = i + 1;
    x = tf.layers.depthwiseConv2d({ name: `conv_dw_${id}`, kernelSize: 3, strides: stride, padding: 'same', useBias: false }).apply(x);
    x = bnRelu(x, `conv_dw_${id}`);
    x = tf.layers.conv2d({ name: `conv_pw_${id}`, filters: filters * alpha, kernelSize: 1, padding: 'same', useBias: false }).apply(x);
    x = bnRelu(x, `conv_pw_${id}`);
  });
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d_1' }).apply(x);
  x = tf.layers.reshape({ name: 'reshape_1', targetShape: [1, 1, 1024 * alpha] }).apply(x);
  x = tf.layers.conv2d({ name: 'conv_preds', filters: 1000, kernelSize: 1, padding: 'same' }).apply(x);
  x = tf.layers.activation({ name: 'act_softmax', activation: 'softmax' }).apply(x);
  x = tf.layers.reshape({ name: 'reshape_2', targetShape: [1000] }).apply(x);
  return tf.model({ inputs: input, outputs: x });
}

function loadWeights(model, folder) {
  const json = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));
  const named = {};
  for (const group of json.weightsManifest) {
    const buffers = group.paths.map((p) => fs.readFileSync(path.join(folder, p)));
    const bytes = Buffer.concat(buffers);
    Object.assign(named, tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), group.weights));
  }
  model.loadWeights(named, true);
}

async function load(folder) {
  const model = mobilenetV1();
  loadWeights(model, folder);
  // What ml5 0.x's featureExtractor does: mobilenet.getLayer('conv_pw_13_relu').output
  const features = tf.model({ inputs: model.inputs, outputs: model.getLayer('conv_pw_13_relu').output });
  return { model, features };
}

// ml5 0.x's imgToTensor(image, [224, 224]) on raw RGB pixels.
function imgToTensor(pixels, shape) {
  return tf.tidy(() => {
    const image = tf.image.resizeBilinear(tf.tensor3d(pixels, shape, 'int32'), [224, 224]);
    return image.expandDims(0).toFloat().div(tf.scalar(127)).sub(tf.scalar(1));
  });
}

function readPictures(spec) {
  const list = JSON.parse(fs.readFileSync(spec, 'utf8'));
  return list.map((item) => ({ ...item, pixels: Int32Array.from(fs.readFileSync(path.join(path.dirname(spec), item.file))) }));
}

async function main() {
  const [weights, spec, out] = process.argv.slice(2);
  const { model, features } = await load(weights);
  fs.mkdirSync(out, { recursive: true });
  readPictures(spec).forEach((picture, i) => {
    const x = imgToTensor(picture.pixels, picture.shape);
    fs.writeFileSync(path.join(out, `${i}.features.bin`), Buffer.from(features.predict(x).dataSync().buffer));
    fs.writeFileSync(path.join(out, `${i}.probs.bin`), Buffer.from(model.predict(x).dataSync().buffer));
  });
}

module.exports = { load, imgToTensor, readPictures };

if (require.main === module) {
  main().catch((error) => { console.error(error); process.exit(1); });
}
