"""The one compiled source of the physics: scalar kernels, packing, and the CPU and CUDA loops."""
