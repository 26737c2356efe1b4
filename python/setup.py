"""A wheel with the relulp binary inside (src/relulp/_bin/relulp, put there by scripts/build-wheel.sh) is
platform-specific but not tied to a Python version or ABI: tagged py3-none-<platform>. Without the binary the
wheel stays pure (py3-none-any) and the package looks for relulp outside itself."""

from pathlib import Path

from setuptools import Distribution, setup

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel

HAS_BINARY = (Path(__file__).parent / "src" / "relulp" / "_bin" / "relulp").is_file()


class BinaryWheel(bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = not HAS_BINARY

    def get_tag(self):
        python, abi, platform = super().get_tag()
        return ("py3", "none", platform) if HAS_BINARY else (python, abi, platform)


class BinaryDistribution(Distribution):
    def has_ext_modules(self):  # what makes setuptools put the files into platlib ("Root-Is-Purelib: false")
        return HAS_BINARY


setup(cmdclass={"bdist_wheel": BinaryWheel}, distclass=BinaryDistribution)
