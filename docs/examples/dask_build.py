"""Build every report in a folder on a Dask cluster: one task per input, one shared cache."""

from pathlib import Path

from dask.distributed import Client, LocalCluster

from speak.build import build, expand_inputs


def build_on_dask(folder: str, out: str, cache: str, workers: int = 2) -> list:
    inputs = expand_inputs([folder])  # every **/*.txt, sorted
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
    ):
        futures = [
            client.submit(build, path, Path(out) / Path(path).stem, cache_dir=cache, pure=False)
            for path in inputs
        ]
        return client.gather(futures)  # one BuildResult per input, in order
