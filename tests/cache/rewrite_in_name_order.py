#!/usr/bin/python3
"""Copies an HDF5 file as h5py writes by default: groups without link creation order, so readers
list their members by name ("1000" before "200"). Datasets and attributes are copied as they are.

usage: /usr/bin/python3 rewrite_in_name_order.py SOURCE.h5 DEST.h5"""
import sys

import h5py


def copy_group(src, dst):
    for name, value in src.attrs.items():
        dst.attrs.create(name, value, dtype=src.attrs.get_id(name).dtype)
    for name in src:
        obj = src[name]
        if isinstance(obj, h5py.Group):
            copy_group(obj, dst.create_group(name, track_order=False))
        else:
            src.copy(obj, dst, name)


with h5py.File(sys.argv[1], "r") as source, h5py.File(sys.argv[2], "w", track_order=False) as dest:
    copy_group(source, dest)
    print("checkpoints:", " ".join(dest["checkpoints"]))
