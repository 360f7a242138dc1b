"""Write tests/reference/moderation_simulated.csv: a stored data file for the regression, moderation
and moderated-mediation references (tests/reference/make_regression_reference.R) and the benchmark.

500 simulated respondents of an online shop, 7-point items. Population model (latent, standardized):
    SAT = 0.55 QUAL + e                                          (service quality -> satisfaction)
    LOY = 0.25 QUAL + 0.35 SAT + 0.20 SWC - 0.25 SAT*SWC
          + 0.30 [frequency = high] - 0.15 [frequency = low] + e  (switching cost weakens SAT -> LOY)
    SWC (switching cost) independent of QUAL; frequency: low / medium / high; age in years; gender.
Items: loading 0.8 on their construct, then cut into 1..7. Fixed seed: run it again and the file is
the same. Run from the project root: python tests/reference/make_moderation_data.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

N, SEED = 500, 20260613
rng = np.random.default_rng(SEED)
qual = rng.standard_normal(N)
swc = rng.standard_normal(N)
sat = 0.55 * qual + np.sqrt(1 - 0.55 ** 2) * rng.standard_normal(N)
frequency = rng.choice(["low", "medium", "high"], size=N, p=[0.3, 0.45, 0.25])
age = np.clip(np.round(rng.normal(30, 8, N)), 18, 65)
gender = rng.choice(["male", "female"], size=N, p=[0.45, 0.55])
loy = (0.25 * qual + 0.35 * sat + 0.20 * swc - 0.25 * sat * swc + 0.30 * (frequency == "high")
       - 0.15 * (frequency == "low") + 0.6 * rng.standard_normal(N))
loy = (loy - loy.mean()) / loy.std()


def items(latent, prefix, k):
    out = {}
    for i in range(1, k + 1):
        raw = 0.8 * latent + 0.6 * rng.standard_normal(N)
        out[f"{prefix}{i}"] = np.clip(np.round(4.3 + 1.25 * raw), 1, 7).astype(int)
    return out


data = pd.DataFrame({**items(qual, "qual", 4), **items(sat, "sat", 4), **items(swc, "swc", 3),
                     **items(loy, "loy", 4), "frequency": frequency, "age": age.astype(int), "gender": gender})
out = Path(__file__).with_name("moderation_simulated.csv")
data.to_csv(out, index=False)
print(f"wrote {out} ({len(data)} rows)")
