package dev.batchgate.ratelimit;

import java.util.List;

/** How a target's slots divide between nodes that want some: max-min fair, in whole slots. */
public final class FairShares {

    private FairShares() {
    }

    /**
     * Each node's share of {@code slots}: one slot at a time to every node that wants more, in turn from
     * node {@code first} on, until the slots or the wants run out. So no node gets more than it wants, and
     * one that wants less leaves the rest to the others; when there are fewer slots than nodes, which nodes
     * go without depends on {@code first} (the caller moves it over time, so that none waits for ever).
     */
    public static int[] of(int slots, List<Integer> wants, int first) {
        int n = wants.size();
        int[] shares = new int[n];
        int left = slots;
        boolean gave = true;
        while (left > 0 && gave) {
            gave = false;
            for (int k = 0; k < n && left > 0; k++) {
                int i = Math.floorMod(first + k, n);
                if (shares[i] < wants.get(i)) {
                    shares[i]++;
                    left--;
                    gave = true;
                }
            }
        }
        return shares;
    }
}
