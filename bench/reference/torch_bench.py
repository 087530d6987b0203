"""The benchmark's six model families in PyTorch, for anyone with PyTorch installed.

Same data (S&P 500 log returns from vega-datasets, lookback 28, horizon 1),
same batch size (64), Adam, MSE; prints training samples/s per family on the
CPU, single-threaded (comparable with TF.js wasm) and with all threads.

    python3 bench/reference/torch_bench.py [path/to/sp500-2000.csv]
"""

import csv
import math
import os
import sys
import time
from pathlib import Path

import torch
from torch import nn

LOOKBACK, HORIZON, BATCH = 28, 1, 64
WINDOWS = {"linear": 5000, "mlp": 5000, "nbeats": 5000, "tcn": 2000, "lstm": 500, "gru": 500}


def load_windows(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    with path.open() as f:
        closes = [float(row["close"]) for row in csv.DictReader(f)]
    returns = torch.tensor([math.log(b / a) for a, b in zip(closes, closes[1:])], dtype=torch.float32)
    returns = (returns - returns.mean()) / returns.std()
    n = len(returns) - LOOKBACK - HORIZON + 1
    x = torch.stack([returns[i : i + LOOKBACK] for i in range(n)]).unsqueeze(-1)
    y = torch.stack([returns[i + LOOKBACK : i + LOOKBACK + HORIZON] for i in range(n)])
    return x, y


class DLinear(nn.Module):
    def __init__(self, kernel: int = 25):
        super().__init__()
        self.kernel = kernel
        self.trend = nn.Linear(LOOKBACK, HORIZON)
        self.remainder = nn.Linear(LOOKBACK, HORIZON)

    def forward(self, x):
        x = x[..., 0]
        front = (self.kernel - 1) // 2
        padded = torch.cat([x[:, :1].repeat(1, front), x, x[:, -1:].repeat(1, self.kernel - 1 - front)], dim=1)
        trend = padded.unfold(1, self.kernel, 1).mean(-1)
        return self.trend(trend) + self.remainder(x - trend)


class NBeats(nn.Module):
    def __init__(self, blocks: int = 3, layers: int = 2, units: int = 64):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.ModuleDict(
                {
                    "fc": nn.Sequential(*[m for i in range(layers) for m in (nn.Linear(LOOKBACK if i == 0 else units, units), nn.ReLU())]),
                    "backcast": nn.Linear(units, LOOKBACK),
                    "forecast": nn.Linear(units, HORIZON),
                }
            )
            for _ in range(blocks)
        )

    def forward(self, x):
        residual, forecast = x[..., 0], 0
        for block in self.blocks:
            h = block["fc"](residual)
            residual = residual - block["backcast"](h)
            forecast = forecast + block["forecast"](h)
        return forecast


class TCN(nn.Module):
    def __init__(self, filters: int = 16, kernel: int = 3, dilations=(1, 2, 4, 8)):
        super().__init__()
        self.convs = nn.ModuleList()
        self.skips = nn.ModuleList()
        channels = 1
        for d in dilations:
            self.convs.append(nn.Conv1d(channels, filters, kernel, dilation=d))
            self.skips.append(nn.Identity() if channels == filters else nn.Conv1d(channels, filters, 1))
            channels = filters
        self.kernel, self.dilations = kernel, dilations
        self.head = nn.Linear(filters * LOOKBACK, HORIZON)

    def forward(self, x):
        x = x.transpose(1, 2)
        for conv, skip, d in zip(self.convs, self.skips, self.dilations):
            x = torch.relu(conv(nn.functional.pad(x, ((self.kernel - 1) * d, 0)))) + skip(x)
        return self.head(x.flatten(1))


class Recurrent(nn.Module):
    def __init__(self, cell: type[nn.Module], units: int = 32):
        super().__init__()
        self.rnn = cell(1, units, batch_first=True)
        self.head = nn.Linear(units, HORIZON)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


def build(kind: str) -> nn.Module:
    return {
        "linear": DLinear,
        "mlp": lambda: nn.Sequential(nn.Flatten(), nn.Linear(LOOKBACK, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, HORIZON)),
        "nbeats": NBeats,
        "tcn": TCN,
        "lstm": lambda: Recurrent(nn.LSTM),
        "gru": lambda: Recurrent(nn.GRU),
    }[kind]()


def samples_per_second(kind: str, x: torch.Tensor, y: torch.Tensor, epochs: int = 3) -> float:
    torch.manual_seed(1)
    model = build(kind)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = x[: WINDOWS[kind]], y[: WINDOWS[kind]]
    rates = []
    for epoch in range(epochs + 1):
        order = torch.randperm(len(x))
        start = time.perf_counter()
        for i in range(0, len(x), BATCH):
            idx = order[i : i + BATCH]
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            loss.item()
        if epoch > 0:  # epoch 0 warms up
            rates.append(len(x) / (time.perf_counter() - start))
    return sorted(rates)[len(rates) // 2]


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "node_modules" / "vega-datasets" / "data" / "sp500-2000.csv"
    x, y = load_windows(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
    threads = os.cpu_count() or 1
    print(f"PyTorch {torch.__version__}, {len(x)} windows, lookback {LOOKBACK}, batch {BATCH}; median of 3 epochs")
    print("family   1 thread samples/s   %d threads samples/s" % threads)
    for kind in WINDOWS:
        torch.set_num_threads(1)
        one = samples_per_second(kind, x, y)
        torch.set_num_threads(threads)
        many = samples_per_second(kind, x, y)
        print(f"{kind:<8} {one:>18,.0f} {many:>22,.0f}")


if __name__ == "__main__":
    main()
