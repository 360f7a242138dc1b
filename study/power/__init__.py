"""Power analysis and sample-size planning before data collection (issue 17).

- :mod:`study.power.rmsea`: power of the RMSEA tests of model fit and the n they need (MacCallum,
  Browne & Sugawara 1996; equal to semTools' ``findRMSEApower`` / ``findRMSEAsamplesize``).
- :mod:`study.power.population`: the population covariance of the items and the analysis model's
  population values, from ``data.population`` in the study file.
- :mod:`study.power.monte_carlo`: Monte Carlo power of each path and indirect effect over a grid of n,
  with convergence, bias and coverage (as simsem reports).
- :mod:`study.power.executors`: where the replications run (here, local processes, a Dask cluster).
"""

from .executors import SerialExecutor, cluster_executor, local_executor
from .monte_carlo import DEFAULT_GRID, PowerAnalysis, monte_carlo_power
from .population import ItemPopulation, PopulationFit, item_population, population_fit
from .rmsea import STANDARD_TESTS, RmseaPlan, rmsea_plan, rmsea_power, rmsea_sample_size

__all__ = ["DEFAULT_GRID", "ItemPopulation", "PopulationFit", "PowerAnalysis", "RmseaPlan", "STANDARD_TESTS",
           "SerialExecutor", "cluster_executor", "item_population", "local_executor", "monte_carlo_power",
           "population_fit", "rmsea_plan", "rmsea_power", "rmsea_sample_size"]
