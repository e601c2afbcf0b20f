// Usage: node make_ml5_heads.js <MobileNet v1 weights folder> <pictures.json> <out folder>
// Trains featureExtractor heads with real TF.js the way ml5 builds them, on MobileNet v1 features
// of the given pictures (label i for picture i), and saves them the way each ml5 version does:
//   ml5_0x_head/   ml5 0.x before 0.4: the head alone (Flatten [7,7,256] -> Dense relu -> Dense
//                  softmax, no bias), labels in ml5Specs.mapStringToIndex
//   ml5_0x_joint/  ml5 0.x from 0.4 on: jointModel = sequential [MobileNet to conv_pw_13_relu, head]
//   ml5_1x_head/   ml5 1.x: Dense(256 -> relu) -> Dense(softmax) on pooled MobileNet v1 features,
//                  userDefinedMetadata {task, labelIndex}
//   ml5_1x_v2/     ml5 1.x's default: a head on 1280 MobileNet v2 feature-vector numbers
// Each folder also gets expected.json: TF.js's own outputs, for the pictures (joint, via ml5's
// imgToTensor) or for the features in features.bin (heads).
const fs = require('fs');
const path = require('path');
const { tf, saveModel } = require('./tfjs_files');
const { load, imgToTensor, readPictures } = require('./mobilenet_v1');

async function trained(makeModel, xs, count) {
  // Trained until each picture's own label clearly wins (not a near tie that float rounding in
  // another implementation could flip): the tests compare the answers, so they need a margin.
  // A head whose relu units all died cannot get there: start again with fresh weights.
  const ys = tf.oneHot(tf.tensor1d([...Array(count).keys()], 'int32'), count);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const model = makeModel();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    await model.fit(xs, ys, { epochs: 150, batchSize: count, verbose: 0, shuffle: false });
    if (model.predict(xs).mul(ys).sum(1).min().dataSync()[0] > 0.9) return model;
  }
  throw new Error('make_ml5_heads.js: no head learned its three pictures in 20 attempts');
}

function head(inputLayer, hidden, count) {
  return tf.sequential({ layers: [
    inputLayer,
    tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: 'varianceScaling', useBias: true }),
    tf.layers.dense({ units: count, kernelInitializer: 'varianceScaling', useBias: false, activation: 'softmax' }),
  ] });
}

function writeExpected(dir, model, inputs, labels) {
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify({ labels, outputs: model.predict(inputs).arraySync() }));
}

async function main() {
  const [weights, spec, out] = process.argv.slice(2);
  const { features } = await load(weights);
  const pictures = readPictures(spec);
  const labels = pictures.map((p) => p.label);
  const images = tf.concat(pictures.map((p) => imgToTensor(p.pixels, p.shape)));
  const maps = features.predict(images);

  const custom = await trained(() => head(tf.layers.flatten({ inputShape: [7, 7, 256] }), 16, labels.length),
    maps, labels.length);
  const specs = { ml5Specs: { mapStringToIndex: labels } };
  await saveModel(custom, path.join(out, 'ml5_0x_head'), 'model', specs);
  fs.writeFileSync(path.join(out, 'ml5_0x_head', 'features.bin'), Buffer.from(maps.dataSync().buffer));
  writeExpected(path.join(out, 'ml5_0x_head'), custom, maps, labels);

  const joint = tf.sequential();
  joint.add(features);
  joint.add(custom);
  await saveModel(joint, path.join(out, 'ml5_0x_joint'), 'model', specs);
  writeExpected(path.join(out, 'ml5_0x_joint'), joint, images, labels);

  const pooled = maps.mean([1, 2]);
  const mlp = await trained(() => head(tf.layers.dense({ inputShape: [256], units: 16, activation: 'relu' }), 8, labels.length),
    pooled, labels.length);
  mlp.setUserDefinedMetadata({ task: 'classification', labelIndex: labels });
  await saveModel(mlp, path.join(out, 'ml5_1x_head'));
  fs.writeFileSync(path.join(out, 'ml5_1x_head', 'features.bin'), Buffer.from(pooled.dataSync().buffer));
  writeExpected(path.join(out, 'ml5_1x_head'), mlp, pooled, labels);

  const v2 = head(tf.layers.dense({ inputShape: [1280], units: 8, activation: 'relu' }), 8, labels.length);
  v2.setUserDefinedMetadata({ task: 'classification', labelIndex: labels });
  await saveModel(v2, path.join(out, 'ml5_1x_v2'));
}

main().catch((error) => { console.error(error); process.exit(1); });
