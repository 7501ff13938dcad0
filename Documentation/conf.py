# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for kgo's documentation. Built by scripts/docs.sh
# (make docs, and make lint with warnings as errors), with the kernel's
# kernel-doc extension from Debian's linux-source-6.12, whose directory
# scripts/docs.sh passes in KGO_KSPHINX and whose scripts/kernel-doc in
# KGO_KERNEL_DOC.

import os
import sys

sys.path.insert(0, os.environ['KGO_KSPHINX'])

project = 'kgo'
copyright = '2026, The kgo developers'
author = 'The kgo developers'

extensions = ['kerneldoc']
kerneldoc_bin = os.environ['KGO_KERNEL_DOC']
kerneldoc_srctree = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))

master_doc = 'index'
exclude_patterns = ['man', 'output']
primary_domain = 'c'
highlight_language = 'none'
html_theme = 'alabaster'
