"""A small CNN on long-tailed Fashion-MNIST: plain vs balanced vs balanced + augmented batches.

Data: Fashion-MNIST training set made long-tailed with
``make_long_tailed(imbalance_ratio=100, random_state=0)`` (14,886 images,
6,000 down to 60 per class); scored on the full, balanced test set (10,000
images): balanced accuracy, per-class recall, the worst class.

Network (the recipe of STYLE.md): three 3x3 convolutions (32, 64, 128
channels) with batch norm, ReLU and 2x2 max pooling, dropout 0.3, a linear
layer; Adam, batches of 128, learning rate 1e-3 cut to 1e-4 after 70 % of
the steps.  Every configuration gets the same number of gradient steps,
``--epochs`` times one pass over the long-tailed set (40 x 117 steps by
default, 600k images, about 5 minutes of training per configuration on a
quiet 2-core machine; ``benchmarks/results/bench_deep.txt`` holds a run with
``--epochs 20`` too).  A balanced epoch holds 10 x 6,000 images, so the
balanced configurations see about 10 of them.

Configurations (``--configs``, default all three)
  plain     shuffled batches of the long-tailed set (torch DataLoader, shuffle=True);
  balanced  imgbalance.torch.make_dataloader(BalancedBatches(RandomOverSampler()));
  augmented the same, every image shifted by up to 2 pixels
            (``augmentation={"width_shift_range": 2/28, "height_shift_range": 2/28}``);
  logit     (not run by default) plain shuffled batches with the logit-adjusted loss
            of Menon et al. (2021), cross-entropy on ``logits + log(class prior)``:
            the loss-side alternative, which is the network's, not a sampler's.

Then the input pipeline alone, on the same long-tailed images, one epoch of
60,000 balanced and shifted images: BalancedBatches in this process and
through a DataLoader with 2 workers, against torch's WeightedRandomSampler
+ torchvision ``RandomAffine(degrees=0, translate=(2/28, 2/28))`` per image
(0 and 2 workers); and the network's own training speed (forward + backward
+ step, images/s), to say whether the pipeline keeps up with it.

Usage: python benchmarks/bench_deep.py [--quick] [--epochs 40] [--configs plain,balanced,augmented[,logit]]
(--quick: 40 steps on a 3,051-image long-tailed subset, 2,000 test images, 2,000 images timed:
 checks that the script runs, measures nothing.)
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from imblearn.over_sampling import RandomOverSampler  # noqa: E402
from sklearn.metrics import balanced_accuracy_score, recall_score  # noqa: E402

from imgbalance.batches import BalancedBatches  # noqa: E402
from imgbalance.datasets import load_fashion_mnist, make_long_tailed  # noqa: E402
from imgbalance.torch import make_dataloader  # noqa: E402

CLASSES = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Boot"]
SHIFT = {"width_shift_range": 2 / 28, "height_shift_range": 2 / 28, "fill_mode": "constant"}


def make_net():
    nn = torch.nn

    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
                nn.MaxPool2d(2)]

    return nn.Sequential(*block(1, 32), *block(32, 64), *block(64, 128), nn.Flatten(),
                         nn.Dropout(0.3), nn.Linear(128 * 3 * 3, 10))


def plain_loader(X, y, batch_size, seed):
    data = torch.utils.data.TensorDataset(torch.from_numpy(X[:, None] / np.float32(255)),
                                          torch.from_numpy(y))
    return torch.utils.data.DataLoader(data, batch_size=batch_size, shuffle=True,
                                       generator=torch.Generator().manual_seed(seed))


def balanced_loader(X, y, batch_size, seed, augmentation=None):
    batches = BalancedBatches(X, y, sampler=RandomOverSampler(), batch_size=batch_size,
                              augmentation=augmentation, data_format="channels_first",
                              dtype="float32", random_state=seed)
    return make_dataloader(batches)


def train(loader, n_steps, seed, log_prior=None):
    """Train a fresh net for n_steps; return it, the seconds spent and the pipeline's share.

    With ``log_prior`` (a tensor of log class frequencies), the loss is the
    logit-adjusted cross-entropy; predictions use the raw logits.
    """
    torch.manual_seed(seed)
    net = make_net()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    step, fetch, start = 0, 0.0, time.perf_counter()
    net.train()
    while step < n_steps:
        t0 = time.perf_counter()
        for xb, yb in loader:
            fetch += time.perf_counter() - t0
            if step == int(0.7 * n_steps):
                for group in optimizer.param_groups:
                    group["lr"] = 1e-4
            optimizer.zero_grad()
            logits = net(xb) if log_prior is None else net(xb) + log_prior
            torch.nn.functional.cross_entropy(logits, yb).backward()
            optimizer.step()
            step += 1
            if step >= n_steps:
                break
            t0 = time.perf_counter()
    return net, time.perf_counter() - start, fetch


def evaluate(net, X_test, y_test):
    net.eval()
    with torch.no_grad():
        logits = torch.cat([net(torch.from_numpy(X_test[i:i + 1000, None] / np.float32(255)))
                            for i in range(0, len(X_test), 1000)])
    predicted = logits.argmax(1).numpy()
    return balanced_accuracy_score(y_test, predicted), recall_score(y_test, predicted,
                                                                    average=None)


def images_per_second(loader, n_images):
    start, seen = time.perf_counter(), 0
    for xb, _ in loader:
        seen += len(xb)
        if seen >= n_images:
            break
    return seen / (time.perf_counter() - start)


def weighted_affine_loader(X, y, batch_size, workers, seed):
    """The usual fallback: WeightedRandomSampler + torchvision RandomAffine per image."""
    from torchvision.transforms import v2

    affine = v2.RandomAffine(degrees=0, translate=(2 / 28, 2 / 28))

    class Shifted(torch.utils.data.Dataset):
        def __len__(self):
            return len(y)

        def __getitem__(self, i):
            return affine(torch.from_numpy(X[i][None] / np.float32(255))), int(y[i])

    weights = 1.0 / np.bincount(y)[y]
    sampler = torch.utils.data.WeightedRandomSampler(
        weights, num_samples=int(10 * np.bincount(y).max()),
        generator=torch.Generator().manual_seed(seed))
    return torch.utils.data.DataLoader(Shifted(), batch_size=batch_size, sampler=sampler,
                                       num_workers=workers)


def time_pipelines(X, y, n_images, batch_size):
    print(f"\n== input pipeline: {n_images} balanced images shifted by up to 2 px, "
          f"batches of {batch_size} ==")
    batches = BalancedBatches(X, y, batch_size=batch_size, augmentation=SHIFT,
                              data_format="channels_first", dtype="float32", random_state=0)
    rows = [
        ("BalancedBatches, this process", make_dataloader(batches)),
        ("BalancedBatches, DataLoader 2 workers", make_dataloader(batches, num_workers=2)),
        ("WeightedRandomSampler + RandomAffine, 0 workers",
         weighted_affine_loader(X, y, batch_size, 0, 0)),
        ("WeightedRandomSampler + RandomAffine, 2 workers",
         weighted_affine_loader(X, y, batch_size, 2, 0)),
    ]
    speeds = {}
    for name, loader in rows:
        speeds[name] = images_per_second(loader, n_images)
        print(f"  {name:<50} {speeds[name]:>9.0f} img/s")
    return speeds


def network_speed(X, y, batch_size, n_steps=30):
    net, optimizer = make_net(), None
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    xb = torch.from_numpy(X[:batch_size, None] / np.float32(255))
    yb = torch.from_numpy(y[:batch_size])
    start = time.perf_counter()
    for _ in range(n_steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(xb), yb).backward()
        optimizer.step()
    return n_steps * batch_size / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--configs", default="plain,balanced,augmented")
    args = parser.parse_args()
    configs = args.configs.split(",")
    unknown = set(configs) - {"plain", "balanced", "augmented", "logit"}
    if unknown:
        parser.error(f"unknown configs {sorted(unknown)}")

    X_all, y_all = load_fashion_mnist("train")
    X_test, y_test = load_fashion_mnist("test")
    if args.quick:
        keep = np.random.default_rng(0).permutation(len(y_all))[:12000]
        X_all, y_all = X_all[keep], y_all[keep]
        X_test, y_test = X_test[:2000], y_test[:2000]
    X, y = make_long_tailed(X_all, y_all, imbalance_ratio=100, random_state=0)
    y, y_test = y.astype(np.int64), y_test.astype(np.int64)
    batch_size = 128
    n_steps = args.epochs * -(-len(y) // batch_size)
    if args.quick:
        n_steps = 40
    print(f"# python benchmarks/bench_deep.py {' '.join(sys.argv[1:])}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"{os.cpu_count()} CPU cores, load average {os.getloadavg()}")
    print(f"training: {len(y)} long-tailed images, per class {np.bincount(y).tolist()}; "
          f"test: {len(y_test)} images; {n_steps} steps of {batch_size} for every config")

    loaders = {
        "plain": lambda: plain_loader(X, y, batch_size, 0),
        "balanced": lambda: balanced_loader(X, y, batch_size, 0),
        "augmented": lambda: balanced_loader(X, y, batch_size, 0, SHIFT),
        "logit": lambda: plain_loader(X, y, batch_size, 0),
    }
    log_prior = torch.log(torch.from_numpy(np.bincount(y) / len(y)).float())
    print(f"\n{'config':<10} {'bal. acc':>8} {'worst':>14} {'train s':>8} {'pipeline s':>10}  "
          "recall per class")
    for name in configs:
        net, seconds, fetch = train(loaders[name](), n_steps, seed=0,
                                    log_prior=log_prior if name == "logit" else None)
        score, recalls = evaluate(net, X_test, y_test)
        worst = int(np.argmin(recalls))
        print(f"{name:<10} {score:>8.3f} {CLASSES[worst]:>8} {recalls[worst]:.3f} "
              f"{seconds:>8.0f} {fetch:>10.1f}  " + " ".join(f"{r:.2f}" for r in recalls))

    n_images = 2000 if args.quick else 60000
    speeds = time_pipelines(X, y, n_images, batch_size)
    net_speed = network_speed(X, y, batch_size)
    print(f"  {'network training step (forward + backward + Adam)':<50} {net_speed:>9.0f} img/s")
    ours = speeds["BalancedBatches, this process"]
    print(f"  BalancedBatches in-process / network: {ours / net_speed:.1f}x "
          f"({'keeps up' if ours > net_speed else 'DOES NOT keep up'}: it takes "
          f"{100 * net_speed / (ours + net_speed):.0f} % of a training step's time in-process)")


if __name__ == "__main__":
    main()
