/**
 * The YOLO network: a small residual backbone trained from scratch, an FPN top-down neck, and
 * YOLOv8's decoupled anchor-free head (separate box and class branches per stride, no objectness;
 * box outputs are the distances l, t, r, b in stride units through softplus, class outputs
 * logits). bench/detection_torch.py builds the same layers in PyTorch.
 *
 *   stem   conv3×3/2  3 → w0                     S/2
 *   down1  conv3×3/2  w0 → w1                    S/4
 *   down2  conv3×3/2  w1 → w2, bottleneck → C3   S/8
 *   down3  conv3×3/2  w2 → w3, bottleneck → C4   S/16
 *   down4  conv3×3/2  w3 → w4, bottleneck → C5   S/32
 *   neck   P5 = conv1×1(C5); P4 = conv3×3(C4 ‖ up(P5)); P3 = conv3×3(C3 ‖ up(P4))   (n channels)
 *   head   per stride: box = conv3×3 → conv3×3 → 1×1 (4);  cls = conv3×3 → conv3×3 → 1×1 (nc)
 *
 * A bottleneck is Ultralytics' (x + conv3×3(conv1×1(x)) with half the channels inside). Every
 * conv is conv → batch norm → ReLU (ReLU rather than YOLOv8's SiLU: its gradient is one fused
 * kernel on the native backend, SiLU's three elementwise passes).
 *
 *   const net = new YoloNet({ numClasses: 10, widths: [16, 32, 64, 128, 256], neckWidth: 64, headWidth: 64 });
 *   const { box, cls } = net.apply(x, true);   // [B, A, 4] (stride units, ≥ 0), [B, A, nc] logits
 */
import { tf } from '@dlpipe/tensor';
import { Conv2dBias, ConvBnAct } from './conv-bn.js';

/** Strides of the three output grids. */
export const YOLO_STRIDES = [8, 16, 32] as const;

export interface YoloNetOptions {
  numClasses: number;
  /** Channels of stem, down1 … down4. */
  widths: readonly [number, number, number, number, number];
  /** Channels of the neck's outputs. */
  neckWidth: number;
  /** Channels inside each head branch. */
  headWidth: number;
  /** Input side in pixels (for the class-bias prior). */
  imageSize: number;
  /** Batch-norm momentum of every conv. Default `BN_MOMENTUM` (0.1). */
  bnMomentum?: number;
}

/** Ultralytics' residual bottleneck with half the channels inside. */
class Bottleneck {
  readonly cv1: ConvBnAct;
  readonly cv2: ConvBnAct;
  constructor(name: string, c: number, momentum?: number) {
    this.cv1 = new ConvBnAct(`${name}.cv1`, { cin: c, cout: c / 2, k: 1, momentum });
    this.cv2 = new ConvBnAct(`${name}.cv2`, { cin: c / 2, cout: c, k: 3, momentum });
  }
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.add(x, this.cv2.apply(this.cv1.apply(x, training), training));
  }
}

/** One branch of the head: two conv3×3 and a 1×1 prediction. */
class HeadBranch {
  readonly convs: [ConvBnAct, ConvBnAct];
  readonly pred: Conv2dBias;
  constructor(name: string, cin: number, width: number, cout: number, biasInit: number, momentum?: number) {
    this.convs = [
      new ConvBnAct(`${name}.0`, { cin, cout: width, k: 3, momentum }),
      new ConvBnAct(`${name}.1`, { cin: width, cout: width, k: 3, momentum }),
    ];
    this.pred = new Conv2dBias(`${name}.pred`, { cin: width, cout, k: 1 }, biasInit);
  }
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return this.pred.apply(this.convs[1].apply(this.convs[0].apply(x, training), training));
  }
}

/** Every layer of the net in a fixed order, with its name (what `namedWeights` is built from). */
type Layer = ConvBnAct | Conv2dBias;

const upsample2 = (x: tf.Tensor4D) =>
  tf.image.resizeNearestNeighbor(x, [(x.shape[1] ?? 0) * 2, (x.shape[2] ?? 0) * 2]);

export class YoloNet {
  private readonly stem: ConvBnAct;
  private readonly downs: ConvBnAct[];
  private readonly blocks: Bottleneck[];
  private readonly lateral5: ConvBnAct;
  private readonly fuse4: ConvBnAct;
  private readonly fuse3: ConvBnAct;
  private readonly boxHeads: HeadBranch[];
  private readonly clsHeads: HeadBranch[];

  constructor(readonly options: YoloNetOptions) {
    const [w0, w1, w2, w3, w4] = options.widths;
    const { neckWidth: n, headWidth: h, numClasses: nc, imageSize, bnMomentum: momentum } = options;
    this.stem = new ConvBnAct('stem', { cin: 3, cout: w0, k: 3, stride: 2, momentum });
    this.downs = [
      new ConvBnAct('down1', { cin: w0, cout: w1, k: 3, stride: 2, momentum }),
      new ConvBnAct('down2', { cin: w1, cout: w2, k: 3, stride: 2, momentum }),
      new ConvBnAct('down3', { cin: w2, cout: w3, k: 3, stride: 2, momentum }),
      new ConvBnAct('down4', { cin: w3, cout: w4, k: 3, stride: 2, momentum }),
    ];
    this.blocks = [
      new Bottleneck('c3', w2, momentum),
      new Bottleneck('c4', w3, momentum),
      new Bottleneck('c5', w4, momentum),
    ];
    this.lateral5 = new ConvBnAct('neck.p5', { cin: w4, cout: n, k: 1, momentum });
    this.fuse4 = new ConvBnAct('neck.p4', { cin: w3 + n, cout: n, k: 3, momentum });
    this.fuse3 = new ConvBnAct('neck.p3', { cin: w2 + n, cout: n, k: 3, momentum });
    // YOLOv8's bias priors: box 1.0; class log(5 / nc / (S/s)²), ~5 objects per image.
    this.boxHeads = YOLO_STRIDES.map((s) => new HeadBranch(`head.box${s}`, n, h, 4, 1, momentum));
    this.clsHeads = YOLO_STRIDES.map(
      (s) => new HeadBranch(`head.cls${s}`, n, h, nc, Math.log(5 / nc / (imageSize / s) ** 2), momentum),
    );
  }

  /** Box distances [B, A, 4] in stride units (softplus, ≥ 0) and class logits [B, A, nc]. */
  apply(x: tf.Tensor4D, training: boolean): { box: tf.Tensor3D; cls: tf.Tensor3D } {
    const t = training;
    let f = this.downs[0]!.apply(this.stem.apply(x, t), t);
    const feats: tf.Tensor4D[] = [];
    for (let i = 0; i < 3; i++) {
      f = this.blocks[i]!.apply(this.downs[i + 1]!.apply(f, t), t);
      feats.push(f);
    }
    const [c3, c4, c5] = feats as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const p5 = this.lateral5.apply(c5, t);
    const p4 = this.fuse4.apply(tf.concat([c4, upsample2(p5)], 3), t);
    const p3 = this.fuse3.apply(tf.concat([c3, upsample2(p4)], 3), t);
    const flat = (y: tf.Tensor4D) => y.reshape([y.shape[0], -1, y.shape[3]]);
    const levels = [p3, p4, p5];
    const box = tf.concat(
      levels.map((p, i) => flat(this.boxHeads[i]!.apply(p, t))),
      1,
    );
    const cls = tf.concat(
      levels.map((p, i) => flat(this.clsHeads[i]!.apply(p, t))),
      1,
    );
    return { box: tf.softplus(box) as tf.Tensor3D, cls: cls as tf.Tensor3D };
  }

  /** Every layer by name, in a fixed order. */
  layers(): Array<[string, Layer]> {
    const out: Array<[string, Layer]> = [];
    const add = (l: Layer) => out.push([l.name, l]);
    add(this.stem);
    for (const d of this.downs) add(d);
    for (const b of this.blocks) {
      add(b.cv1);
      add(b.cv2);
    }
    for (const l of [this.lateral5, this.fuse4, this.fuse3]) add(l);
    for (const hd of [...this.boxHeads, ...this.clsHeads]) {
      for (const c of hd.convs) add(c);
      add(hd.pred);
    }
    return out;
  }

  /** Every variable by `layer/part` (kernel, bias, gamma, beta, moving_mean, moving_variance). */
  namedWeights(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [name, l] of this.layers()) {
      if (l instanceof ConvBnAct) {
        Object.assign(out, {
          [`${name}/kernel`]: l.kernel,
          [`${name}/gamma`]: l.gamma,
          [`${name}/beta`]: l.beta,
          [`${name}/moving_mean`]: l.movingMean,
          [`${name}/moving_variance`]: l.movingVar,
        });
      } else Object.assign(out, { [`${name}/kernel`]: l.kernel, [`${name}/bias`]: l.bias });
    }
    return out;
  }

  trainableVariables(): tf.Variable[] {
    return this.layers().flatMap(([, l]) => (l instanceof ConvBnAct ? l.trainable() : l.variables()));
  }

  dispose(): void {
    for (const [, l] of this.layers()) for (const v of l.variables()) v.dispose();
  }
}
