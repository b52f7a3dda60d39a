#!/usr/bin/env python
from recolte.cli import main

if __name__ == "__main__":
    main()
