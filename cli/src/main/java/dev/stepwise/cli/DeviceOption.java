package dev.stepwise.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Parses the {@code --device} option of the commands that run a model, and checks that the device exists. */
final class DeviceOption {

    private DeviceOption() {
    }

    /**
     * Returns the DJL device for {@code name} ({@code cpu}, {@code gpu} or {@code gpuN}).
     *
     * @throws IllegalArgumentException when the name is not a device name, or names a GPU the engine does not see
     */
    static Device parse(String name) {
        if (!name.matches("cpu|gpu[0-9]*")) {
            throw new IllegalArgumentException("--device: invalid device '" + name + "'; expected cpu, gpu or gpuN");
        }
        Device device = Device.fromName(name);
        if (device.isGpu()) {
            int gpus = Engine.getInstance().getGpuCount();
            if (device.getDeviceId() >= gpus) {
                throw new IllegalArgumentException("--device: " + name + " is not available; the "
                        + Engine.getInstance().getEngineName() + " engine sees " + gpus + " GPU"
                        + (gpus == 1 ? "" : "s") + (gpus == 0 ? ", so use --device cpu" : ""));
            }
        }
        return device;
    }
}
